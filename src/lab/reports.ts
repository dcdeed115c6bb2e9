/**
 * What `lab check` tells a student (text) and an autograder (JSON, JUnit). Everything shown comes
 * from the run's outcome, whose errors and credential descriptions never hold a secret.
 */
import { describeEvents } from '../kubelet/event-recorder.js';
import type { JudgedPull } from '../run/outcome.js';
import type { Expectation, PullSpec } from '../scenario/types.js';
import type { CheckResult, PullVerdict } from './check.js';
import type { LabScenario, Progress } from './workspace.js';

function hostOf(s: LabScenario, handle: string): string {
  return s.registries[handle]?.host ?? handle;
}

/** A goal in words: "pulled from nexus (192.168.10.11:5001)", "imported from …", "fails with …". */
export function goalText(s: LabScenario, g: Expectation): string {
  const parts: string[] = [];
  const done = g.result === 'imported' ? 'imported' : 'pulled';
  if (g.result === 'failed') parts.push('the pull fails');
  else if (g.result !== undefined || g.from) parts.push(g.from ? `${done} from ${g.from} (${hostOf(s, g.from)})` : done);
  if (g.error) parts.push(`with an error containing ${JSON.stringify(g.error)}`);
  if (g.digest) parts.push(`digest ${g.digest}`);
  return parts.join(' ') || 'any outcome';
}

/** A pull entry as the student reads it: the image, the pod, or the ImageStream import. */
export function pullLabel(p: PullSpec): string {
  if (p.image !== undefined) return p.image;
  if (p.pod !== undefined) return `pod ${p.namespace}/${p.pod}`;
  return `import ${p.namespace}/${p.import!.stream}:${p.import!.tag}`;
}

function what(p: JudgedPull): string {
  if (p.import) return `import ${p.import.namespace}/${p.import.stream}:${p.import.tag}`;
  return p.container ? `${p.image} (container ${p.container})` : p.image;
}

/** The symptom as `kubectl describe pod` shows it; `oc import-image` its transcript; a tool runtime prints its error instead. */
export function eventsText(p: JudgedPull): string {
  if (p.eventTable) return describeEvents(p.eventTable);
  if (p.import) return p.import.transcript.trimEnd();
  return p.error ? `Error: ${p.error}` : 'pulled';
}

function outcomeLine(p: JudgedPull): string {
  return p.result === 'failed' ? 'failed' : `${p.result} from ${p.from ?? '?'}`;
}

export function checkText(s: LabScenario, r: CheckResult, checkNo: number): string {
  const out: string[] = [];
  if (r.clusterError) {
    out.push(`FAIL ${s.lab.id}: the cluster refuses a file of cluster/ (oc apply -f cluster/):`, `  ${r.clusterError}`);
    return out.join('\n') + '\n';
  }
  out.push(`${r.pass ? 'PASS' : 'FAIL'} ${s.lab.id}: ${s.lab.title} (check ${checkNo})`);
  for (const p of r.pulls) {
    out.push(`  ${p.pass ? '✓' : '✗'} ${what(p.outcome)}: ${outcomeLine(p.outcome)}; goal: ${goalText(s, p.goal)}`);
  }
  for (const a of r.absent) out.push(`  ✗ pod ${s.pulls[a.index].namespace}/${s.pulls[a.index].pod}: nothing pulled (${a.message}); goal: ${goalText(s, s.lab.goals[a.index])}`);
  if (r.outsideEditable.length) {
    out.push(`  ✗ changed outside what this lab lets you edit (${s.lab.editable.join(', ')}): ${r.outsideEditable.join(', ')}`, '    pullsim lab reset restores the starting files; keep your fix inside the editable paths.');
  }
  for (const i of r.ignored) out.push(`  note: ${i}`);
  if (r.pass) return out.join('\n') + '\n';
  for (const p of r.pulls.filter((x) => !x.pass)) {
    out.push('', `${what(p.outcome)} — what the student sees now:`, indent(eventsText(p.outcome), '  '));
    for (const n of p.outcome.notes) out.push(`  note: ${n}`);
  }
  if (r.explanation) out.push('', 'Why (the decisions of the first pull that missed its goal, as pullsim explain shows them):', indent(r.explanation.trimEnd(), '  '));
  const seen = new Set<string>();
  for (const t of r.pulls.flatMap((p) => p.traps)) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    out.push('', `Trap (${t.id}):`, indent(t.feedback.trimEnd(), '  '));
  }
  out.push('', 'Edit the files and run pullsim lab check again; pullsim lab hint gives a hint.');
  return out.join('\n') + '\n';
}

function indent(t: string, pad: string): string {
  return t.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}

function pullJson(s: LabScenario, p: PullVerdict) {
  const o = p.outcome;
  return {
    pull: p.index,
    image: o.image,
    ...(o.container !== undefined && { container: o.container }),
    goal: { ...p.goal, text: goalText(s, p.goal) },
    outcome: { result: o.result, from: o.from, digest: o.digest, error: o.error, attempts: o.attempts.map((a) => ({ source: a.source, registry: a.registry, result: a.result, credential: a.credential })) },
    pass: p.pass,
    misses: p.misses,
    traps: p.traps.map((t) => ({ id: t.id, feedback: t.feedback })),
  };
}

/** The grading document of `lab check --json`. */
export function checkJson(s: LabScenario, r: CheckResult, progress: Progress): string {
  return JSON.stringify({
    lab: s.lab.id,
    title: s.lab.title,
    pass: r.pass,
    ...(r.clusterError && { clusterError: r.clusterError }),
    pulls: r.pulls.map((p) => pullJson(s, p)),
    absent: r.absent.map((a) => ({ pull: a.index, error: a.message })),
    outsideEditable: r.outsideEditable,
    ignored: r.ignored,
    checks: progress.checks,
    hintsUsed: progress.hintsUsed,
    hints: s.lab.hints.length,
    solutionSeen: progress.solutionSeen,
    firstPass: progress.firstPass ?? null,
  }, null, 2) + '\n';
}

function xml(t: string): string {
  // XML 1.0 forbids most control characters even as references; an ANSI escape must not break the report.
  return t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML for autograders: one testcase per goal (a pod entry's containers count together). */
export function checkJunit(s: LabScenario, r: CheckResult): string {
  const cases = s.lab.goals.map((goal, i) => {
    const pulls = r.pulls.filter((p) => p.index === i);
    const name = `pull ${i + 1}: ${pullLabel(s.pulls[i])} — ${goalText(s, goal)}`;
    const absent = r.absent.find((a) => a.index === i)?.message;
    const outside = r.outsideEditable.length ? `changed outside the editable paths: ${r.outsideEditable.join(', ')}` : undefined;
    const failed = r.clusterError !== undefined || absent !== undefined || outside !== undefined || pulls.some((p) => !p.pass);
    if (!failed) return `    <testcase classname="pullsim.lab.${xml(s.lab.id)}" name="${xml(name)}"/>`;
    const missed = pulls.filter((p) => !p.pass);
    const message = r.clusterError ?? absent ?? (missed.length ? missed.map((p) => p.misses.join('; ')).join('; ') : outside!);
    const body = r.clusterError ?? absent ?? [...missed.map((p) => [eventsText(p.outcome), ...p.traps.map((t) => `Trap (${t.id}): ${t.feedback.trimEnd()}`)].join('\n')), ...(outside ? [outside] : [])].join('\n\n');
    return [
      `    <testcase classname="pullsim.lab.${xml(s.lab.id)}" name="${xml(name)}">`,
      `      <failure message="${xml(message)}">${xml(body)}</failure>`,
      '    </testcase>',
    ].join('\n');
  });
  const failures = cases.filter((c) => c.includes('<failure')).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pullsim lab" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${xml(s.lab.id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
