import { describe, expect, it } from 'vitest';
import { cli, tempTree } from './cli-harness.js';

const scenario = (cluster: string, openshift = '4.15') => `name: rollout
versions: { openshift: "${openshift}" }
registries: {}
node: { files: {} }
cluster:
${cluster}
pulls:
  - image: quay.io/team/app:1
`;

const imageCr = `  - apiVersion: config.openshift.io/v1
    kind: Image
    metadata: { name: cluster }
    spec: { registrySources: { insecureRegistries: [nexus.example.com] } }`;

const dropIn = `  - apiVersion: machineconfiguration.openshift.io/v1
    kind: MachineConfig
    metadata: { name: 99-worker-nexus, labels: { machineconfiguration.openshift.io/role: worker } }
    spec:
      config:
        ignition: { version: 3.2.0 }
        storage:
          files:
            - path: /etc/containers/registries.conf.d/99-nexus.conf
              contents: { source: "data:,%5B%5Bregistry%5D%5D%0Alocation%20%3D%20%22nexus.example.com%22%0Ainsecure%20%3D%20true%0A" }`;

const secret = `  - apiVersion: v1
    kind: Secret
    metadata: { name: unused, namespace: default }
    type: Opaque`;

describe('render --diff starts with what the machine-config daemon does to the pool', () => {
  const t = tempTree();
  t.write({ 'old.yaml': scenario(secret), 'cr.yaml': scenario(imageCr), 'mc.yaml': scenario(dropIn), 'mc-417.yaml': scenario(dropIn, '4.17') });

  it.each([
    ['cr.yaml', 'rollout (OpenShift 4.15, file lists): reloads CRI-O on every node of pool worker, draining each first: /etc/containers/registries.conf changed (/etc/containers/registries.conf: registry nexus.example.com has been added with mirror does not set pull-from-mirror=digest-only)'],
    ['mc.yaml', 'rollout (OpenShift 4.15, file lists): reboots every node of pool worker, draining each first: /etc/containers/registries.conf.d/99-nexus.conf changed'],
    ['mc-417.yaml', 'rollout (OpenShift 4.17, node disruption policies): reboots every node of pool worker, draining each first: /etc/containers/registries.conf.d/99-nexus.conf changed'],
  ])('%s', async (next, line) => {
    const r = await cli(['render', `${t.dir}/old.yaml`, '--diff', `${t.dir}/${next}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(line);
    expect(r.stdout).toContain('+++ b/etc/containers/');
  });

  it('the same scenario on both sides changes nothing', async () => {
    const r = await cli(['render', `${t.dir}/cr.yaml`, '--diff', `${t.dir}/cr.yaml`]);
    expect(r.stdout.split('\n')[0]).toBe('rollout (OpenShift 4.15, file lists): no change for pool worker');
  });
});

describe('docs/rollout-impact.md: the bundled examples say what the page says', () => {
  it.each([
    ['examples/rollout/after.yaml', 'rollout (OpenShift 4.15, file lists): reloads CRI-O on every node of pool worker, draining each first: /etc/containers/registries.conf changed (/etc/containers/registries.conf: mirror mirror-b.example.com/team has been removed in registry quay.io/team)'],
    ['examples/rollout/after-dropin.yaml', 'rollout (OpenShift 4.15, file lists): reboots every node of pool worker, draining each first: /etc/containers/registries.conf.d/99-nexus.conf changed'],
  ])('%s', async (after, line) => {
    const r = await cli(['render', 'examples/rollout/before.yaml', '--diff', after]);
    expect(r.stdout.split('\n')[0]).toBe(line);
  });
});
