import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const BASE = `name: t
registries:
  r: { host: r.example:5000, tls: false, images: { a/b:1: {} } }
pulls:
  - image: r.example:5000/a/b:1
lab:
  id: t-lab
  title: T
  topic: t
  level: beginner
  task: do it
  goals:
    - { result: pulled, from: r }
  solution:
    files:
      node/etc/containers/registries.conf: "x"
`;

function error(src: string): string {
  try {
    loadScenarioText(src, 'lab.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
  return 'no error';
}

describe('lab: section, valid', () => {
  it('loads with defaults (editable node/ and cluster/, no hints or traps)', () => {
    const s = loadScenarioText(BASE, 'lab.yaml');
    expect(s.lab).toMatchObject({ id: 't-lab', level: 'beginner', editable: ['node/', 'cluster/'], hints: [], traps: [], goals: [{ result: 'pulled', from: 'r' }] });
  });

  it('a goal for an import: pull is read as that pull\'s expect: imported, reason', () => {
    const s = loadScenarioText(IMPORT_BASE, 'lab.yaml');
    expect(s.lab!.goals).toEqual([{ result: 'imported', from: 'r' }, { result: 'failed', reason: 'Unauthorized' }]);
  });
});

const IMPORT_BASE = BASE.replace('  - image: r.example:5000/a/b:1\n', '  - { import: "b:1", namespace: team, from: "r.example:5000/a/b:1" }\n  - { import: "c:1", namespace: team, from: "r.example:5000/a/b:1" }\n')
  .replace('    - { result: pulled, from: r }\n', '    - { result: imported, from: r }\n    - { result: failed, reason: Unauthorized }\n');

describe('lab: section, invalid: file, line, key, what is accepted', () => {
  const cases: Array<[string, string, string]> = [
    ['a bad id', BASE.replace('id: t-lab', 'id: T Lab'), 'lab.yaml, line 7, key lab.id: "T Lab" is not a lab id'],
    ['an unknown level', BASE.replace('level: beginner', 'level: expert'), 'lab.yaml, line 10, key lab.level: "expert" is not accepted; use one of: beginner, intermediate, advanced'],
    ['goals not one per pull', BASE.replace('    - { result: pulled, from: r }\n', '    - { result: pulled }\n    - { result: failed }\n'), 'key lab.goals: lists 2 goals, but the scenario has 1 pulls'],
    ['a goal naming an unknown registry', BASE.replace('from: r }', 'from: q }'), "key lab.goals[0].from: unknown registry 'q'"],
    ['an absolute workspace path', BASE.replace('node/etc/containers/registries.conf: "x"', '/etc/containers/registries.conf: "x"'), 'is not a workspace path'],
    ['a path out of the workspace', BASE.replace('node/etc/containers/registries.conf: "x"', '../x: "x"'), '"../x" is not a workspace path'],
    ['an empty solution', BASE.replace('    files:\n      node/etc/containers/registries.conf: "x"\n', '    files: {}\n'), "key lab.solution: a change needs 'files'"],
    ['an unknown field', BASE.replace('  task: do it', '  taks: do it'), "key lab.taks: unknown field 'taks'; did you mean 'task'?"],
    ['a missing field', BASE.replace('  title: T\n', ''), "key lab: missing required field 'title'"],
    ['a trap without conditions', BASE + '  traps:\n    - { id: x, when: {}, feedback: f, example: { files: { a: b } } }\n', 'key lab.traps[0].when: a trap needs at least one condition'],
    ['a trap pull out of range', BASE + '  traps:\n    - { id: x, when: { pull: 3 }, feedback: f, example: { files: { a: b } } }\n', 'key lab.traps[0].when.pull: expected an integer from 0 to 0, got 3'],
    ['two traps with one id', BASE + '  traps:\n    - { id: x, when: { pull: 0 }, feedback: f, example: { files: { a: b } } }\n    - { id: x, when: { pull: 0 }, feedback: f, example: { files: { a: b } } }\n', 'trap "x" is listed twice'],
    ['pulled as the goal of an import', IMPORT_BASE.replace('result: imported', 'result: pulled'), 'key lab.goals[0].result: "pulled" is not accepted; use one of: imported, failed'],
    ['imported as the goal of a node pull', BASE.replace('result: pulled', 'result: imported'), 'key lab.goals[0].result: "imported" is not accepted; use one of: pulled, failed'],
    ['a reason in the goal of a node pull', BASE.replace('from: r }', 'from: r, reason: Unauthorized }'), "key lab.goals[0].reason: unknown field 'reason'"],
    ['an explain condition in a containerd lab', `runtime: containerd\n${BASE}  traps:\n    - { id: x, when: { explain: { image: a } }, feedback: f, example: { files: { a: b } } }\n`, "key lab.traps[0].when.explain: 'explain' conditions are containers/image's decisions (runtimes crio, podman, skopeo); runtime containerd decides otherwise"],
    ['a handout naming an unknown CA', BASE + '  handout:\n    ca.crt: { ca: nope }\n', "key lab.handout[\"ca.crt\"].ca: unknown CA 'nope'"],
  ];
  it.each(cases)('%s', (_n, src, message) => {
    expect(error(src)).toContain(message);
  });
});
