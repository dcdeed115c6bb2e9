/**
 * The node after the Machine Config Operator applied a scenario's cluster objects: apart from
 * node-files.ts so that reading a node without cluster objects loads none of the OpenShift code.
 */
import { MemoryFS, nodeFileText, type NodeFileContent } from '../node-fs.js';
import { NODE_FILES, renderCluster } from '../openshift/index.js';
import type { ClusterObject, Scenario } from '../scenario/types.js';

/**
 * The node as it is after the Machine Config Operator applied the scenario's cluster objects over
 * its files, with what the MCO, the API server and the machine-config daemon said about them.
 */
export function layOutNode(s: Scenario, files: Record<string, NodeFileContent>, resolveCa: (name: string) => string, previous?: ClusterObject[]): { fs: MemoryFS; notes: string[] } {
  if (s.cluster.length === 0 && !previous?.length) return { fs: new MemoryFS(files), notes: [] };
  const r = renderCluster(s.cluster, asText(files), { openshift: s.versions.openshift, resolveCa, ...(previous && { previous }) });
  const rendered: Record<string, NodeFileContent> = {};
  // A file the cluster objects left alone keeps its bytes, so its parser still sees what is on disk.
  for (const [p, f] of r.files) rendered[p] = f.producedBy === NODE_FILES && p in files ? files[p] : f.content;
  return {
    fs: new MemoryFS(rendered),
    notes: [...r.errors.map((e) => `cluster: ${e.message}`), ...r.logs.map((l) => `machine-config-operator: ${l}`), ...r.mcdErrors.map((l) => `machine-config-daemon: ${l}`)],
  };
}

/** The rendering works on text: node files as the MCO compares and prints them. */
export function asText(files: Record<string, NodeFileContent>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, content] of Object.entries(files)) out[p] = nodeFileText(content);
  return out;
}
