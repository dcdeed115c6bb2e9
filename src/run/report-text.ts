import { indentBlock } from '../text-layout.js';
import { describeEvents } from '../kubelet/event-recorder.js';
import type { RunSummary, ScenarioReport, JudgedPull } from './outcome.js';

export interface TextStyle {
  color: boolean;
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

function paint(style: TextStyle, c: keyof typeof codes, s: string): string {
  return style.color ? `\x1b[${codes[c]}m${s}\x1b[0m` : s;
}

function pullLines(p: JudgedPull, runtime: string, style: TextStyle): string[] {
  const out: string[] = [];
  const mark = p.expect ? (p.expect.met ? paint(style, 'green', '✓') : paint(style, 'red', '✗')) : '•';
  const what = p.container ? `${p.image} (container ${p.container})` : p.image;
  const verdict = p.result === 'pulled' || p.result === 'imported'
    ? paint(style, 'green', `${p.result} from ${p.from ?? '?'}`) + (p.digest ? paint(style, 'dim', ` ${p.digest}`) : '')
    : paint(style, 'red', 'failed');
  out.push(`  ${mark} ${p.import ? `oc import-image ${what} -n ${p.import.namespace}` : what}: ${verdict}`);
  for (const [i, a] of p.attempts.entries()) {
    const who = a.registry ? ` [${a.registry}]` : '';
    const cred = a.credential ? paint(style, 'dim', ` (${a.credential})`) : '';
    out.push(`      ${i + 1}. ${a.source}${who}${cred}: ${a.result === 'pulled' ? 'ok' : 'failed'}`);
    if (a.error) out.push(indentBlock(a.error, '         '));
  }
  if (p.import) {
    out.push(`    ${paint(style, 'bold', `oc prints (exit ${p.import.oc.exitCode}):`)}`);
    out.push(indentBlock(p.import.transcript.replace(/\n$/, ''), '      '));
  } else if (p.error !== null) {
    const label = runtime === 'podman' ? 'Error: ' : runtime === 'skopeo' ? 'FATA[0000] ' : '';
    const heading = runtime === 'crio' || runtime === 'containerd' ? 'kubelet error:' : runtime === 'vsphere-pod' ? 'Failed event:' : `${runtime} prints:`;
    out.push(`    ${paint(style, 'bold', heading)}`);
    out.push(indentBlock(label + p.error, '      '));
  }
  if (p.eventTable) {
    out.push(indentBlock(describeEvents(p.eventTable), '    '));
  } else if (p.events.length) {
    out.push(`    ${paint(style, 'bold', 'Events (kubectl describe pod):')}`);
    for (const e of p.events) out.push(indentBlock(e, '      '));
  }
  for (const n of p.notes) out.push(paint(style, 'dim', `    note: ${n}`));
  if (p.expect && !p.expect.met) for (const f of p.expect.failures ?? []) out.push(paint(style, 'red', `    expected ${f}`));
  return out;
}

/** Human output for `pullsim run`: per scenario and pull, what happened and whether it was expected. */
export function textReport(reports: ScenarioReport[], summary: RunSummary, style: TextStyle): string {
  const out: string[] = [];
  for (const r of reports) {
    const ok = r.error === undefined && r.pulls.every((p) => p.expect?.met !== false);
    out.push(`${ok ? paint(style, 'green', 'PASS') : paint(style, 'red', 'FAIL')} ${paint(style, 'bold', r.name)} ${paint(style, 'dim', `(${r.file}, runtime ${r.runtime})`)}`);
    if (r.error !== undefined) out.push(paint(style, 'red', indentBlock(r.error, '    ')));
    if (r.pulls.length === 0 && r.error === undefined) out.push(paint(style, 'dim', '  no pulls (a configuration-only scenario: render, serve, explain and compare --images read it)'));
    for (const p of r.pulls) out.push(...pullLines(p, r.runtime, style));
  }
  out.push('');
  out.push(
    `${summary.pulls} pulls: ${summary.pulled} pulled, ${summary.imported ? `${summary.imported} imported, ` : ''}${summary.failed} failed; ` +
      `expectations: ${summary.expectationsMet} met, ${summary.expectationsFailed} not met`,
  );
  return out.join('\n') + '\n';
}
