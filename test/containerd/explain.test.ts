/**
 * `explain --runtime containerd`: the hosts folder read and why a hosts.toml was ignored, hosts in
 * order with what they are used for, and the exit code (1 when the decisions show the pull cannot
 * succeed), from a scenario and from a node tree.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';

const S = 'scenarios/containerd';

describe('explain --runtime containerd on the bundled scenarios and node tree', () => {
  it.each<[string[], number, string[]]>([
    [['upstream.example.com:5999/tiny:1', '--scenario', `${S}/04-mirror-unreachable-upstream.yaml`], 0, [
      'host 1: http://mirror.example.com:5000/v2 — [host."http://mirror.example.com:5000"] (requests carry ?ns=upstream.example.com%3A5999)',
      'host 2: https://upstream.example.com:5999/v2 — server = "https://upstream.example.com:5999"',
    ]],
    [['plain.example.com:5001/tiny:1', '--scenario', `${S}/03-server-only-hosts-toml.yaml`], 0, [
      'containerd log: level=error msg="failed to decode hosts.toml" error="invalid `host` tree"',
      'read from: docker-style certificate files (*.crt, *.cert/*.key)',
    ]],
    [['plain.example.com:5001/tiny:1', '--scenario', `${S}/03-server-only-hosts-toml.yaml`, '--containerd', '2.0'], 0, [
      'host 1: http://plain.example.com:5001/v2 — server = "http://plain.example.com:5001"',
    ]],
    [['harbor.example.com:5443/tiny:1', '--scenario', `${S}/07-missing-ca-file.yaml`], 1, [
      'the pull cannot succeed:',
      'unable to read CA cert "/etc/containerd/certs.d/harbor.example.com:5443/harbor-ca.crt": open /etc/containerd/certs.d/harbor.example.com:5443/harbor-ca.crt: no such file or directory',
    ]],
    [['team.example.com/app:1', '--root', `${S}/node-root`, '--runtime', 'containerd'], 0, [
      'hosts folder: /etc/containerd/certs.d/_default (looked at /etc/containerd/certs.d/team.example.com, /etc/containerd/certs.d/_default)',
    ]],
    [['nginx', '--root', `${S}/node-root`, '--runtime', 'containerd'], 0, [
      'reference: docker.io/library/nginx:latest',
      'host 2: https://registry-1.docker.io/v2',
    ]],
  ])('%j', async (argv, code, lines) => {
    const r = await cli(['explain', ...argv]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
    for (const l of lines) expect(r.stdout).toContain(l);
  });
  it('an unknown release is bad input', async () => {
    const r = await cli(['explain', 'x', '--root', `${S}/node-root`, '--runtime', 'containerd', '--containerd', '1.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/versions\.containerd "1\.5" is not emulated/);
  });
});
