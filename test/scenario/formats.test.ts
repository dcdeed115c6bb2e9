import { describe, expect, it } from 'vitest';
import { isDnsName, isHost, isPlatform, isRepoTag, parseDuration } from '../../src/scenario/formats.js';
import { scanPlaceholders } from '../../src/scenario/placeholders.js';

describe('host: a DNS name or IP with an optional port', () => {
  it.each([
    ['registry.example.com', true],
    ['localhost:5000', true],
    ['192.168.10.11:5001', true],
    ['192.168.10.11', true],
    ['[::1]:5000', true],
    ['[fd00::1]', true],
    ['docker.io', true],
    ['nexus.lab.test:65535', true],
    ['nexus.lab.test:0', false],
    ['nexus.lab.test:65536', false],
    ['nexus.lab.test:', false],
    ['::1', false],
    ['[::1', false],
    ['[nothex]:5000', false],
    ['300.1.1.1', false],
    ['1.2.3', false],
    ['https://r.example.com', false],
    ['r.example.com/path', false],
    ['-bad.example.com', false],
    ['under_score.example.com', false],
    ['', false],
  ])('%s → %s', (host, ok) => {
    expect(isHost(host)).toBe(ok);
  });

  it('a DNS name is at most 253 characters', () => {
    expect(isDnsName(`${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(61))).toBe(true);
    expect(isDnsName(`${'a'.repeat(63)}.`.repeat(4))).toBe(false);
  });
});

describe('platform: os/arch[/variant]', () => {
  it.each([
    ['linux/amd64', true],
    ['linux/arm64/v8', true],
    ['windows/amd64', true],
    ['linux/s390x', true],
    ['amd64', false],
    ['linux/', false],
    ['Linux/AMD64', false],
    ['linux/arm/v7/x', false],
  ])('%s → %s', (p, ok) => {
    expect(isPlatform(p)).toBe(ok);
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90],
    ['10m', 600],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h0m5s', 3605],
    ['0s', undefined],
    ['', undefined],
    ['10', undefined],
    ['10 m', undefined],
    ['30m1h', undefined],
    ['1.5h', undefined],
    ['-5m', undefined],
  ])('%s → %s', (d, seconds) => {
    expect(parseDuration(d)).toBe(seconds);
  });
});

describe('served repository:tag', () => {
  it.each([
    ['test/test:latest', true],
    ['library/nginx:1.25', true],
    ['a__b/c-d.e:V1_x', true],
    ['nginx', false],
    ['Upper/case:v1', false],
    ['a/b:-bad', false],
    ['a//b:v1', false],
    ['a/b@sha256:abc', false],
  ])('%s → %s', (s, ok) => {
    expect(isRepoTag(s)).toBe(ok);
  });
});

describe('placeholders', () => {
  it.each([
    ['a/b@${digest:base}', [{ text: '${digest:base}', kind: 'digest', arg: 'base' }]],
    ['${digest:t/linux/arm64/v8} ${keyData:k}', [
      { text: '${digest:t/linux/arm64/v8}', kind: 'digest', arg: 't/linux/arm64/v8' },
      { text: '${keyData:k}', kind: 'keyData', arg: 'k' },
    ]],
    ['${digest}', [{ text: '${digest}', kind: 'digest', arg: '', malformed: true }]],
    ['${digest:}', [{ text: '${digest:}', kind: 'digest', arg: '', malformed: true }]],
    ['${keyData: k}', [{ text: '${keyData: k}', kind: 'keyData', arg: '', malformed: true }]],
    ['x ${digest:base\ny', [{ text: '${digest:base', kind: 'digest', arg: '', malformed: true }]],
    ['echo ${HOME} ${digests}', []],
    ['no placeholders', []],
  ])('%s', (s, want) => {
    expect(scanPlaceholders(s)).toEqual(want);
  });
});
