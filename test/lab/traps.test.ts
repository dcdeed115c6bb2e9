import { describe, expect, it } from 'vitest';
import { globRegExp } from '../../src/lab/traps.js';

describe('trap file globs: * within a name, ** across folders', () => {
  const cases: Array<[string, string, boolean]> = [
    ['node/etc/containers/registries.conf.d/*.toml', 'node/etc/containers/registries.conf.d/99-nexus.toml', true],
    ['node/etc/containers/registries.conf.d/*.toml', 'node/etc/containers/registries.conf.d/sub/x.toml', false],
    ['node/etc/*/certs.d/*:443/*', 'node/etc/docker/certs.d/harbor.lab.example:443/ca.crt', true],
    ['node/etc/*/certs.d/*:443/*', 'node/etc/containers/certs.d/harbor.lab.example/ca.crt', false],
    ['node/**/ca.pem', 'node/etc/containers/certs.d/h/ca.pem', true],
    ['cluster/?-x.yaml', 'cluster/1-x.yaml', true],
    ['node/etc/containers/registries.conf', 'node/etc/containers/registries.conf.d/a.conf', false],
  ];
  it.each(cases)('%s ~ %s → %s', (glob, path, match) => {
    expect(globRegExp(glob).test(path)).toBe(match);
  });
});
