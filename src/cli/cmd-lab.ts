import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError, text } from '../errors/index.js';
import { bundledCourseDir, findLab, loadLabs } from '../lab/catalog.js';
import { checkWorkspace } from '../lab/check.js';
import { checkJson, checkJunit, checkText, pullLabel } from '../lab/reports.js';
import { nextHint, openWorkspace, solutionDiff, startWorkspace } from '../lab/session.js';
import { validateLab } from '../lab/validate.js';
import { writeProgress } from '../lab/workspace.js';
import { summarize } from '../run/report-json.js';
import { textReport } from '../run/report-text.js';
import { loadScenarios, runScenarios } from '../run/run-many.js';
import { flagString, parseArgs } from './args.js';
import { commandFlags } from './commands.js';
import type { Io } from './main.js';
import { packageRoot } from '../package-root.js';

const SUBCOMMANDS = ['list', 'start', 'check', 'hint', 'solution', 'reset', 'validate'];

/**
 * `pullsim lab`: the course (list, start, check, hint, solution, reset, validate; docs/labs.md),
 * and the story viewer: `pullsim lab [FILE|DIR ...]` tells each scenario's story and runs it.
 */
export async function labCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest, io);
    case 'start':
      return start(rest, io);
    case 'check':
      return check(rest, io);
    case 'hint':
      io.out(nextHint(oneDir('hint', rest)));
      return 0;
    case 'solution':
      io.out(solutionDiff(oneDir('solution', rest)));
      return 0;
    case 'reset':
      return reset(rest, io);
    case 'validate':
      return validate(rest, io);
    default:
      return stories(argv, io);
  }
}

function oneDir(command: string, argv: string[]): string {
  const args = parseArgs(`lab ${command}`, argv, {});
  if (args.positional.length > 1) throw new InputError(`lab ${command}: give at most one workspace folder`);
  return args.positional[0] ?? '.';
}

function list(argv: string[], io: Io): number {
  const args = parseArgs('lab list', argv, { json: { value: false } });
  const labs = loadLabs([bundledCourseDir(), ...args.positional]);
  if (args.flags.has('json')) {
    const rows = labs.map((s) => ({ id: s.lab.id, title: s.lab.title, topic: s.lab.topic, level: s.lab.level, file: relative(process.cwd(), s.file), images: s.pulls.map(pullLabel) }));
    io.out(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...labs.map((s) => s.lab.id.length), 2);
  for (const s of labs) io.out(`${s.lab.id.padEnd(w)}  ${s.lab.level.padEnd(12)}  ${s.lab.topic}: ${s.lab.title}\n`);
  io.out('\nstart one with: pullsim lab start LAB [--dir DIR]\n');
  return 0;
}

async function start(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('lab start', argv, { dir: { value: true }, force: { value: false } });
  if (args.positional.length !== 1) throw new InputError('lab start: give exactly one lab id (pullsim lab list) or lab file');
  const s = findLab(args.positional[0]);
  const dir = flagString(args, 'dir') ?? s.lab.id;
  await startWorkspace(s, dir, { force: args.flags.has('force') });
  const editable = s.lab.editable.map((e) => join(dir, e)).join(', ');
  io.out(`${s.lab.id}: workspace written to ${dir}\n  read ${join(dir, 'TASK.md')}, edit ${editable}, then: pullsim lab check ${dir}\n`);
  return 0;
}

async function check(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('lab check', argv, { json: { value: false }, junit: { value: true } });
  if (args.positional.length > 1) throw new InputError('lab check: give at most one workspace folder');
  const dir = args.positional[0] ?? '.';
  const { s, progress } = openWorkspace(dir);
  const r = await checkWorkspace(s, dir, progress);
  progress.checks++;
  if (r.pass && progress.firstPass === undefined) progress.firstPass = progress.checks;
  writeProgress(dir, progress);
  const junit = flagString(args, 'junit');
  if (junit !== undefined) writeFileSync(junit, checkJunit(s, r));
  io.out(args.flags.has('json') ? checkJson(s, r, progress) : checkText(s, r, progress.checks));
  return r.pass ? 0 : 1;
}

async function reset(argv: string[], io: Io): Promise<number> {
  const dir = oneDir('reset', argv);
  const { s, progress } = openWorkspace(dir);
  await startWorkspace(s, dir, { force: true, keep: progress });
  io.out(`${s.lab.id}: ${dir} is back to the starting state (progress kept)\n`);
  return 0;
}

async function validate(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('lab validate', argv, {});
  if (args.positional.length === 0) throw new InputError('lab validate: give lab files or folders');
  const labs = loadLabs(args.positional);
  if (labs.length === 0) throw new InputError(text('lab.no-labs', args.positional.join(', ')));
  let bad = 0;
  for (const s of labs) {
    const v = await validateLab(s);
    if (v.problems.length) bad++;
    io.out(`${v.problems.length ? 'FAIL' : 'ok  '} ${v.id} (${relative(process.cwd(), v.file)}): ${v.problems.length ? v.problems.join('\n       ') : v.proven.join('; ')}\n`);
  }
  io.out(`\n${labs.length - bad}/${labs.length} labs valid\n`);
  return bad ? 1 : 0;
}

/** The story viewer: without an argument, the bundled stories; with files, each story told, then run. */
async function stories(argv: string[], io: Io): Promise<number> {
  const args = parseArgs('lab', argv, commandFlags('lab'));
  const root = packageRoot();
  if (args.positional.length === 0) {
    for (const s of loadScenarios([join(root, 'scenarios', 'labs')])) {
      const first = (s.description ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
      io.out(`${relative(process.cwd(), s.file)}\n    ${s.name}${first ? `\n    ${first.trim()}` : ''}\n`);
    }
    io.out(`\nrun one with: pullsim lab FILE\nhands-on labs: pullsim lab list, then pullsim lab start LAB (subcommands: ${SUBCOMMANDS.join(', ')})\n`);
    return 0;
  }
  const scenarios = loadScenarios(args.positional);
  for (const s of scenarios) io.out(`== ${s.name}\n\n${(s.description ?? '(no description)').trimEnd()}\n\n`);
  const reports = await runScenarios(scenarios, 4);
  const summary = summarize(reports);
  io.out(textReport(reports, summary, { color: io.isTTY }));
  return summary.expectationsFailed > 0 ? 1 : 0;
}
