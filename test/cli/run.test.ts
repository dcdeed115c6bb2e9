import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './cli-harness.js';

const LAB = `images:
  app: {}
registries:
  reg:
    host: reg.example.com:5000
    ip: 127.0.0.71
    tls: false
    images:
      team/app:1.0: app
      team/app:1.1: app
node:
  files:
    /etc/containers/registries.conf: |
      [[registry]]
      location = "reg.example.com:5000"
      insecure = true
    /etc/containers/policy.json: |
      { "default": [{ "type": "insecureAcceptAnything" }] }
`;

const dir = tempTree().write({
  'met/ok.yaml': `name: all met
${LAB}pulls:
  - image: reg.example.com:5000/team/app:1.0
    expect: { result: pulled, from: reg, digest: "\${digest:app}" }
  - image: reg.example.com:5000/team/app:nope
    expect: { result: failed, error: "manifest unknown" }
  - image: reg.example.com:5000/team/app:1.1
`,
  'unmet/wrong.yaml': `name: one unmet
${LAB}pulls:
  - image: reg.example.com:5000/team/app:1.0
    expect: { result: pulled, from: reg }
  - image: reg.example.com:5000/team/app:nope
    expect: { result: pulled, from: reg }
`,
  'invalid/bad.yaml': 'name: invalid\npulls:\n  - image: reg.example.com:5000/team/app:1.0\n    expect: { result: sometimes }\n',
});

describe('run: exit codes', () => {
  it.each([
    ['every expectation met', 'met', 0],
    ['one expectation unmet', 'unmet', 1],
    ['an invalid file', 'invalid', 2],
  ])('%s (folder %s) → exit %d', async (_what, sub, code) => {
    const r = await cli(['run', `${dir}/${sub}`]);
    expect(r.code).toBe(code);
    if (code === 2) expect(r.stdout).toBe('');
  });

  it('any invalid file among valid ones is exit 2, nothing run', async () => {
    const r = await cli(['run', `${dir}/met`, `${dir}/invalid`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

interface AttemptDoc {
  source: string;
  registry: string | null;
  result: string;
  error?: string;
  credential: string | null;
}
interface PullDoc {
  image: string;
  result: string;
  from: string | null;
  digest: string | null;
  attempts: AttemptDoc[];
  error: string | null;
  events: string[];
  notes: string[];
  expect?: { met: boolean; failures?: string[] };
}
interface RunDoc {
  scenarios: { file: string; name: string; runtime: string; pulls: PullDoc[] }[];
  summary: Record<string, number>;
}

async function runJson(...paths: string[]): Promise<{ code: number; doc: RunDoc; stderr: string }> {
  const r = await cli(['run', '--json', ...paths]);
  return { code: r.code, doc: JSON.parse(r.stdout) as RunDoc, stderr: r.stderr };
}

function nullableString(v: unknown): boolean {
  return v === null || typeof v === 'string';
}

describe('run --json: the contract document', () => {
  it('has every required field with its type', async () => {
    const { code, doc, stderr } = await runJson(`${dir}/met`);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(Object.keys(doc).sort()).toEqual(['scenarios', 'summary']);
    expect(doc.scenarios).toHaveLength(1);
    const s = doc.scenarios[0];
    expect(s.file).toBe(`${dir}/met/ok.yaml`);
    expect(s.name).toBe('all met');
    expect(s.runtime).toBe('crio');
    expect(s.pulls).toHaveLength(3);
    for (const p of s.pulls) {
      expect(typeof p.image).toBe('string');
      expect(['pulled', 'failed']).toContain(p.result);
      expect(nullableString(p.from)).toBe(true);
      expect(nullableString(p.digest)).toBe(true);
      expect(nullableString(p.error)).toBe(true);
      expect(Array.isArray(p.events) && p.events.every((e) => typeof e === 'string')).toBe(true);
      expect(Array.isArray(p.notes)).toBe(true);
      expect(p.attempts.length).toBeGreaterThan(0);
      for (const a of p.attempts) {
        expect(typeof a.source).toBe('string');
        expect(nullableString(a.registry)).toBe(true);
        expect(['pulled', 'failed']).toContain(a.result);
        expect(nullableString(a.credential)).toBe(true);
        if (a.error !== undefined) expect(typeof a.error).toBe('string');
      }
    }
  });

  it('reports what each pull did, and judges only pulls with an expect', async () => {
    const { doc } = await runJson(`${dir}/met`);
    const [ok, missing, unjudged] = doc.scenarios[0].pulls;
    expect(ok).toMatchObject({ image: 'reg.example.com:5000/team/app:1.0', result: 'pulled', from: 'reg', error: null, expect: { met: true } });
    expect(ok.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ok.attempts).toEqual([{ source: 'reg.example.com:5000/team/app:1.0', registry: 'reg', result: 'pulled', credential: null }]);
    expect(missing).toMatchObject({ result: 'failed', from: null, digest: null, expect: { met: true } });
    expect(missing.error).toBe('rpc error: code = Unknown desc = reading manifest nope in reg.example.com:5000/team/app: manifest unknown');
    expect(missing.attempts[0].error).toBe('reading manifest nope in reg.example.com:5000/team/app: manifest unknown');
    expect(missing.events).toEqual([
      'Pulling image "reg.example.com:5000/team/app:nope"',
      `Failed to pull image "reg.example.com:5000/team/app:nope": ${missing.error}`,
      'Error: ErrImagePull',
    ]);
    expect(unjudged.expect).toBeUndefined();
  });

  it.each([
    ['met', { pulls: 3, pulled: 2, failed: 1, expectationsMet: 2, expectationsFailed: 0 }],
    ['unmet', { pulls: 2, pulled: 1, failed: 1, expectationsMet: 1, expectationsFailed: 1 }],
  ])('summary counts for %s', async (sub, summary) => {
    const { doc } = await runJson(`${dir}/${sub}`);
    expect(doc.summary).toEqual(summary);
  });

  it('says which field of an unmet expectation differs', async () => {
    const { code, doc } = await runJson(`${dir}/unmet`);
    expect(code).toBe(1);
    const unmet = doc.scenarios[0].pulls[1].expect!;
    expect(unmet.met).toBe(false);
    expect(unmet.failures).toEqual(['result: expected pulled, got failed', 'from: expected reg, got nothing']);
  });

  it('prints exactly one JSON document, nothing else on stdout', async () => {
    const r = await cli(['run', '--json', `${dir}/met`, `${dir}/unmet`]);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect((JSON.parse(r.stdout) as RunDoc).scenarios.map((s) => s.name)).toEqual(['all met', 'one unmet']);
  });
});

describe('run: human output', () => {
  it('has PASS/FAIL per scenario and the summary line', async () => {
    const r = await cli(['run', `${dir}/met`, `${dir}/unmet`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PASS all met \(.*ok\.yaml, runtime crio\)$/m);
    expect(r.stdout).toMatch(/^FAIL one unmet \(.*wrong\.yaml, runtime crio\)$/m);
    expect(r.stdout).toContain('    expected result: expected pulled, got failed\n');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('5 pulls: 3 pulled, 2 failed; expectations: 3 met, 1 not met');
  });

  it.each([
    ['not a TTY', [], false, false],
    ['a TTY', [], true, true],
    ['a TTY with --no-color', ['--no-color'], true, false],
  ])('colour on %s: %s', async (_what, flags, tty, coloured) => {
    const r = await cli(['run', ...flags, `${dir}/met`], tty);
    expect(r.code).toBe(0);
    expect(/\x1b\[/.test(r.stdout)).toBe(coloured);
    expect(/\x1b\[/.test(r.stderr)).toBe(false);
  });

  it('--json is never coloured, even on a TTY', async () => {
    const r = await cli(['run', '--json', `${dir}/met`], true);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stderr).toBe('');
  });

  it('--jobs does not change the report order', async () => {
    const one = await cli(['run', '--json', '--jobs', '1', `${dir}/met`, `${dir}/unmet`]);
    const many = await cli(['run', '--json', '--jobs=8', `${dir}/met`, `${dir}/unmet`]);
    const names = (s: string) => (JSON.parse(s) as RunDoc).scenarios.map((x) => x.file);
    expect(names(many.stdout)).toEqual(names(one.stdout));
  });
});
