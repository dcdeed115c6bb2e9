/**
 * A student's session with one lab: start (or reset) a workspace, hints one at a time, the
 * reference solution as a diff. Progress lives in the workspace's .pullsim-lab.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { isCredentialFile, redactDockerConfig, REDACTED } from '../auth/redact.js';
import { InputError, text } from '../errors/index.js';
import { diffLines } from '../openshift/report.js';
import { checkWorkspace, type CheckResult } from './check.js';
import { findLab } from './catalog.js';
import { eventsText, goalText, pullLabel } from './reports.js';
import { generateMaterial, readProgress, resolveSpec, startingFiles, writeFiles, writeProgress, type LabScenario, type Progress } from './workspace.js';

function taskMarkdown(s: LabScenario, symptom: CheckResult): string {
  const l = s.lab;
  const out = [`# ${l.title}`, '', `Lab \`${l.id}\` · topic: ${l.topic} · level: ${l.level}`, '', l.task.trimEnd(), '', '## What you see now', ''];
  for (const p of symptom.pulls) {
    const o = p.outcome;
    const label = o.import ? `\`import ${o.import.namespace}/${o.import.stream}:${o.import.tag}\`` : o.container ? `\`${o.image}\` (container ${o.container})` : `\`${o.image}\``;
    out.push(`${label}:`, '', '```', eventsText(o), '```', '');
  }
  out.push('## Goal', '');
  s.pulls.forEach((p, i) => out.push(`- \`${pullLabel(p)}\`: ${goalText(s, l.goals[i])}`));
  out.push('', '## What you may edit', '', ...l.editable.map((e) => `- \`${e}\``));
  out.push('', '`node/` is the node\'s filesystem laid out like `/`; `cluster/` holds the cluster objects as `oc get -o yaml` prints them (edit them or add files: a Secret, an Image CR, a MachineConfig, a ConfigMap).');
  const handed = Object.keys(l.handout);
  if (handed.length) out.push('', '## What you were given', '', ...handed.map((h) => `- \`${h}\``));
  out.push('', '## Check your fix', '', '```sh', 'pullsim lab check .      # pass or fail, and why', 'pullsim lab hint .       # the next hint', 'pullsim lab solution .   # the reference fix (recorded)', 'pullsim lab reset .      # back to the starting state', '```', '');
  return out.join('\n');
}

/** Writes the starting state into dir (which must be empty unless force), runs it for the symptom, writes TASK.md. */
export async function startWorkspace(s: LabScenario, dir: string, opts: { force?: boolean; keep?: Progress } = {}): Promise<Progress> {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory() || (fs.readdirSync(dir).length > 0 && !opts.force)) throw new InputError(text('lab.not-empty', dir));
    if (opts.force) for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  const m = await generateMaterial(s);
  writeFiles(dir, startingFiles(s, m));
  // The folders a node has even when they are empty, so a drop-in or a CA has somewhere to go.
  const nodeDirs = s.runtime === 'vsphere-pod' ? [] : s.runtime === 'containerd' ? ['node/etc/containerd/certs.d'] : ['node/etc/containers/registries.conf.d', 'node/etc/containers/certs.d'];
  for (const d of [...nodeDirs, 'cluster']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const progress: Progress = {
    lab: s.lab.id,
    file: path.resolve(s.file),
    material: m,
    checks: opts.keep?.checks ?? 0,
    hintsUsed: opts.keep?.hintsUsed ?? 0,
    solutionSeen: opts.keep?.solutionSeen ?? false,
    ...(opts.keep?.firstPass !== undefined && { firstPass: opts.keep.firstPass }),
  };
  writeProgress(dir, progress);
  const symptom = await checkWorkspace(s, dir, progress);
  fs.writeFileSync(path.join(dir, 'TASK.md'), taskMarkdown(s, symptom));
  return progress;
}

/** The workspace's lab definition and progress. */
export function openWorkspace(dir: string): { s: LabScenario; progress: Progress } {
  const progress = readProgress(dir);
  let s: LabScenario;
  try {
    s = findLab(fs.existsSync(progress.file) ? progress.file : progress.lab);
  } catch {
    throw new InputError(text('lab.definition-gone', progress.lab, progress.file));
  }
  return { s, progress };
}

export function nextHint(dir: string): string {
  const { s, progress } = openWorkspace(dir);
  const hints = s.lab.hints;
  if (progress.hintsUsed >= hints.length) return hints.length ? `No more hints (all ${hints.length} shown). pullsim lab solution shows the reference fix.\n` : 'This lab has no hints.\n';
  const hint = hints[progress.hintsUsed];
  writeProgress(dir, { ...progress, hintsUsed: progress.hintsUsed + 1 });
  return `Hint ${progress.hintsUsed + 1}/${hints.length}: ${hint.trimEnd()}\n`;
}

/** What the solution may show of a file: credential files and Secrets with their values redacted (the task says the password). */
function shown(rel: string, t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  if (isCredentialFile(rel)) return redactDockerConfig(t);
  if (!rel.startsWith('cluster/') || !/\bkind:\s*Secret\b/.test(t)) return t;
  // Shown, not judged (the checker read the file as oc does): the reader's own warnings stay quiet.
  return parseAllDocuments(t, { logLevel: 'error' })
    .map((d) => {
      const o = d.toJS() as { kind?: string; data?: Record<string, unknown>; stringData?: Record<string, unknown> } | null;
      if (o?.kind !== 'Secret') return d.toString();
      for (const k of Object.keys(o.data ?? {})) o.data![k] = REDACTED;
      for (const [k, v] of Object.entries(o.stringData ?? {})) o.stringData![k] = typeof v === 'string' ? redactDockerConfig(v).trimEnd() : REDACTED;
      return stringify(o);
    })
    .join('---\n');
}

function fileLines(t: string | undefined): string[] {
  return t === undefined || t === '' ? [] : t.replace(/\n$/, '').split('\n');
}

/** The reference fix as a unified diff against the starting files (one hunk per file, secret values redacted), recorded in the progress. */
export function solutionDiff(dir: string): string {
  const { s, progress } = openWorkspace(dir);
  const m = progress.material;
  const out: string[] = [];
  const removed = new Set(s.lab.solution.remove);
  const start = startingFiles(s, m);
  for (const rel of [...removed].sort()) {
    const gone = Object.keys(start).filter((p) => p === rel || p.startsWith(`${rel.replace(/\/$/, '')}/`));
    for (const p of gone) {
      const a = fileLines(shown(p, start[p]));
      out.push(`--- a/${p}`, '+++ /dev/null', `@@ -1,${a.length} +0,0 @@`, ...a.map((l) => `-${l}`));
    }
  }
  for (const [rel, spec] of Object.entries(s.lab.solution.files).sort(([x], [y]) => x.localeCompare(y))) {
    const before = start[rel];
    const a = fileLines(shown(rel, before));
    const b = fileLines(shown(rel, resolveSpec(spec, m)));
    out.push(`--- ${before === undefined ? '/dev/null' : `a/${rel}`}`, `+++ b/${rel}`, `@@ -${a.length ? 1 : 0},${a.length} +${b.length ? 1 : 0},${b.length} @@`, ...diffLines(a, b));
  }
  writeProgress(dir, { ...progress, solutionSeen: true });
  return out.join('\n') + '\n';
}
