import { describe, expect, it } from 'vitest';
import { loadScenarioText, substitutePlaceholders } from '../../src/scenario/index.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;

const scenario = loadScenarioText(
  `name: t
keys: {g: {type: gpg}}
images: {base: {}, tools: {platforms: [linux/amd64, linux/arm64/v8]}}
node:
  files:
    /etc/containers/policy.json: '{"keyData": "\${keyData:g}", "d": "\${digest:base}"}'
    /etc/script.sh: echo \${HOME}
pulls:
  - image: r.example.com/a@\${digest:tools/linux/arm64/v8}
    expect:
      digest: \${digest:base/linux/amd64}
      error: "manifest \${digest:tools} unknown"
      attempts: ['r.example.com/a@\${digest:tools}']
`,
  's.yaml',
);

const vars = {
  digests: { base: D('a'), tools: D('b'), 'tools/linux/arm64/v8': D('c'), 'tools/linux/amd64': D('d') },
  keyData: { g: 'mQENBGKEY==' },
};

describe('substitutePlaceholders', () => {
  const out = substitutePlaceholders(scenario, vars);

  it('fills digests in pull images and expect fields; a single-platform image is its own linux/amd64 manifest', () => {
    expect(out.pulls[0].image).toBe(`r.example.com/a@${D('c')}`);
    expect(out.pulls[0].expect).toEqual({
      digest: D('a'),
      error: `manifest ${D('b')} unknown`,
      attempts: [`r.example.com/a@${D('b')}`],
    });
  });

  it('fills digests and keyData in node file contents, leaving other ${…} alone', () => {
    expect(out.node.files).toEqual({
      '/etc/containers/policy.json': `{"keyData": "mQENBGKEY==", "d": "${D('a')}"}`,
      '/etc/script.sh': 'echo ${HOME}',
    });
  });

  it('returns a new scenario and leaves the loaded one as it was', () => {
    expect(scenario.pulls[0].image).toBe('r.example.com/a@${digest:tools/linux/arm64/v8}');
    expect(scenario.node.files['/etc/containers/policy.json']).toContain('${keyData:g}');
    expect(out).not.toBe(scenario);
  });

  it('a digest the caller did not provide is a bug, reported as such', () => {
    expect(() => substitutePlaceholders(scenario, { ...vars, digests: { base: D('a') } })).toThrow(
      'substitutePlaceholders: no digest for ${digest:tools/linux/arm64/v8}',
    );
  });
});
