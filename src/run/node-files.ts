/**
 * The node's filesystem for one scenario: `node.root` (read from disk once, at the edge), then
 * `node.files` (text, or generated CA and key material from the lab), then the signatures the lab
 * published to lookaside directories.
 */
import { gitFiles, isGitSpec } from '../compare/git-tree.js';
import { DiskFS, type NodeFileContent } from '../node-fs.js';
import type { Scenario } from '../scenario/types.js';

/**
 * Files by node path: `node.root`'s as bytes, through the same reader as `explain --root`;
 * scenario text as written; generated binary content (signatures) as latin1, one char per byte.
 */
export function scenarioNodeFiles(scenario: Scenario, generated: Record<string, string>): Record<string, NodeFileContent> {
  const files: Record<string, NodeFileContent> = {};
  if (scenario.node.root && isGitSpec(scenario.node.root)) {
    for (const e of gitFiles(scenario.node.root)?.entries ?? []) files[`/${e.path}`] = new Uint8Array(e.content);
  } else if (scenario.node.root) for (const [p, bytes] of new DiskFS(scenario.node.root).files()) files[p] = bytes;
  for (const [p, spec] of Object.entries(scenario.node.files)) {
    if (typeof spec === 'string') files[p] = spec;
  }
  for (const [p, content] of Object.entries(generated)) files[p] = content;
  return files;
}
