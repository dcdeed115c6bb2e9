/**
 * The node's filesystem for one scenario: `node.root` (read from disk once, at the edge), then
 * `node.files` (text, or generated CA and key material from the lab), then the signatures the lab
 * published to lookaside directories.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitFiles, isGitSpec } from '../compare/git-tree.js';
import { MemoryFS } from '../node-fs.js';
import { renderCluster } from '../openshift/index.js';
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
  if (scenario.node.root && isGitSpec(scenario.node.root)) {
    for (const e of gitFiles(scenario.node.root)?.entries ?? []) files[`/${e.path}`] = e.content.toString('latin1');
  } else if (scenario.node.root) readTree(scenario.node.root, files);
  for (const [p, spec] of Object.entries(scenario.node.files)) {
    if (typeof spec === 'string') files[p] = spec;
  }
  for (const [p, content] of Object.entries(generated)) files[p] = content;
  return files;
}

/**
 * The node as it is after the Machine Config Operator applied the scenario's cluster objects over
 * its files, with what the MCO, the API server and the machine-config daemon said about them.
 */
export function layOutNode(s: Scenario, files: Record<string, string>, resolveCa: (name: string) => string): { fs: MemoryFS; notes: string[] } {
  if (s.cluster.length === 0) return { fs: new MemoryFS(files), notes: [] };
  const r = renderCluster(s.cluster, files, { openshift: s.versions.openshift, resolveCa });
  const rendered: Record<string, string> = {};
  for (const [p, f] of r.files) rendered[p] = f.content;
  return {
    fs: new MemoryFS(rendered),
    notes: [...r.errors.map((e) => `cluster: ${e.message}`), ...r.logs.map((l) => `machine-config-operator: ${l}`), ...r.mcdErrors.map((l) => `machine-config-daemon: ${l}`)],
  };
}
