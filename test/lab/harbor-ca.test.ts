import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { startLab } from './lab-harness.js';

const EVENT = 'Get "https://harbor.lab.example/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority';

function configMap(key: string, namespace: string, pem: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: registry-cas\n  namespace: ${namespace}\ndata:\n  ${key}: |\n${pem.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}\n`;
}
const IMAGE_CR = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  additionalTrustedCA:\n    name: registry-cas\n';

describe('lab harbor-ca: the CA the admin sent, placed where the node reads it', () => {
  it('starts failing with the x509 event, and hands out ca.crt', async () => {
    const ws = await startLab('harbor-ca');
    expect(ws.read('ca.crt')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(ws.read('TASK.md')).toContain(EVENT);
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(EVENT);
  });

  const fixes: Array<[string, (pem: string) => Record<string, string>]> = [
    ['certs.d/HOST/ca.crt', (pem) => ({ 'node/etc/containers/certs.d/harbor.lab.example/ca.crt': pem })],
    ['certs.d/HOST/any-name.crt', (pem) => ({ 'node/etc/containers/certs.d/harbor.lab.example/harbor-root.crt': pem })],
    ['/etc/docker/certs.d/HOST/ca.crt', (pem) => ({ 'node/etc/docker/certs.d/harbor.lab.example/ca.crt': pem })],
    ['additionalTrustedCA', (pem) => ({ 'cluster/01-image-cluster.yaml': IMAGE_CR, 'cluster/02-cm.yaml': configMap('harbor.lab.example', 'openshift-config', pem) })],
  ];
  it.each(fixes)('passes with %s', async (_n, files) => {
    const ws = await startLab('harbor-ca');
    ws.write(files(ws.read('ca.crt')));
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.stdout).toContain('PASS harbor-ca');
    expect(r.code).toBe(0);
  });

  const traps: Array<[string, (pem: string) => Record<string, string>, string]> = [
    ['certs.d/HOST:443/', (pem) => ({ 'node/etc/containers/certs.d/harbor.lab.example:443/ca.crt': pem }), 'certs.d/harbor.lab.example:443/'],
    ['ca.pem', (pem) => ({ 'node/etc/containers/certs.d/harbor.lab.example/ca.pem': pem }), 'You saved the CA as a .pem file'],
  ];
  it.each(traps)('fails with %s and says why', async (_n, files, feedback) => {
    const ws = await startLab('harbor-ca');
    ws.write(files(ws.read('ca.crt')));
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(EVENT);
    expect(r.stdout).toContain(feedback);
  });

  it('a certificate that is not the CA the registry uses still fails', async () => {
    const ws = await startLab('harbor-ca');
    const other = await startLab('harbor-ca');
    ws.write({ 'node/etc/containers/certs.d/harbor.lab.example/ca.crt': other.read('ca.crt') });
    const r = await cli(['lab', 'check', ws.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('x509: certificate signed by unknown authority');
  });
});
