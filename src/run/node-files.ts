/**
 * The node's filesystem for one scenario: `node.root` (read from disk once, at the edge), then
 * `node.files` (text, or generated CA and key material from the lab), then the signatures the lab
 * published to lookaside directories.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Scenario } from '../scenario/types.js';

function readTree(root: string, into: Record<string, string>, rel = ''): void {
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) readTree(root, into, r);
    else if (entry.isFile()) into[`/${r}`] = fs.readFileSync(path.join(root, r), 'latin1');
  }
}

/** Text files by node path; binary content (signatures) is held as latin1, one char per byte. */
export function scenarioNodeFiles(scenario: Scenario, generated: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  if (scenario.node.root) readTree(scenario.node.root, files);
  for (const [p, spec] of Object.entries(scenario.node.files)) {
    if (typeof spec === 'string') files[p] = spec;
  }
  for (const [p, content] of Object.entries(generated)) files[p] = content;
  return files;
}
