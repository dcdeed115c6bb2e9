import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors/index.js';
import { DEFAULT_OPENSHIFT, NODE_FILES, renderDiff, renderReport, rolloutImpact, type RolloutImpact } from '../openshift/index.js';
import { shownContent } from '../openshift/report.js';
import { renderScenario } from '../run/render-scenario.js';
import { loadScenarioFile } from '../scenario/index.js';
import { applyNodeOverrides } from '../scenario/overrides.js';
import { flagList, flagString, parseArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';

/** `pullsim render SCENARIO [--node ROLE] [--out DIR] [--diff OTHER]`. */
export async function renderCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('render', argv, commandFlags('render'));
  if (args.positional.length !== 1) throw new InputError('render: give exactly one scenario file');
  const role = flagString(args, 'node');
  const overrides = { root: flagString(args, 'root'), manifests: flagList(args, 'manifests') };
  const scenario = applyNodeOverrides(loadScenarioFile(args.positional[0]), overrides);
  for (const line of scenario.ignoredObjects ?? []) io.err(`ignored: ${line}\n`);
  const result = await renderScenario(scenario, role);
  const other = flagString(args, 'diff');
  if (other !== undefined) {
    const next = applyNodeOverrides(loadScenarioFile(other), overrides);
    const b = await renderScenario(next, role);
    const release = next.versions.openshift ?? DEFAULT_OPENSHIFT;
    io.out(rolloutText(rolloutImpact(result.machineConfig, b.machineConfig, { openshift: release, pool: role ?? 'worker' }), release));
    io.out(renderDiff(result, b));
    return 0;
  }
  const out = flagString(args, 'out');
  if (out === undefined) {
    io.out(renderReport(result));
    return result.errors.length ? 1 : 0;
  }
  const written: string[] = [];
  let redacted = 0;
  for (const [path, f] of result.files) {
    if (f.producedBy === NODE_FILES) continue;
    const target = join(out, path);
    mkdirSync(dirname(target), { recursive: true });
    const content = shownContent(path, f)!;
    writeFileSync(target, content);
    if (content !== f.content) redacted++;
    written.push(`${target}  [${f.producedBy}]${content === f.content ? '' : '  (secret values redacted)'}`);
  }
  io.out(`${written.join('\n')}\n`);
  // Secrets are never written out, so such a tree is not a working node root: say it rather than let a pull fail later.
  if (redacted) io.out(`note: ${redacted} credential file(s) written with <redacted> in place of each secret value: as a node root (explain --root, node.root) they hold no usable credentials; pullsim run and explain --scenario use the scenario's real ones\n`);
  for (const e of result.errors) io.err(`error: ${e.message}\n`);
  return result.errors.length ? 1 : 0;
}

/** The machine-config daemon's verdict, above the file diff: what rolling the change out does to the pool. */
function rolloutText(r: RolloutImpact, release: string): string {
  const lines = [`rollout (OpenShift ${release}, ${r.mode}): ${r.summary}`];
  if (r.changedFiles.length > 0) lines.push(`  machine config files changed: ${r.changedFiles.join(', ')}`);
  lines.push(`  post-config actions: ${r.actions.join(', ')}; drain: ${r.drain ? 'yes' : 'no'}`);
  return `${lines.join('\n')}\n\n`;
}
