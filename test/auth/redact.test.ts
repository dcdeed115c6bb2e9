import { describe, expect, it } from 'vitest';
import { isCredentialFile, redactDockerConfig, REDACTED } from '../../src/auth/redact.js';

describe('redacting docker config files before they are shown', () => {
  it.each([
    ['auths auth', '{"auths":{"q.io":{"auth":"YWxpY2U6czNjcmV0"}}}', 'YWxpY2U6czNjcmV0'],
    ['username/password', '{"auths":{"q.io":{"username":"alice","password":"s3cret"}}}', 's3cret'],
    ['identity token, any case', '{"auths":{"q.io":{"IdentityToken":"tok-123"}}}', 'tok-123'],
    ['legacy .dockercfg', '{"q.io":{"auth":"YWxpY2U6czNjcmV0","email":"a@b"}}', 'YWxpY2U6czNjcmV0'],
    ['not JSON', '{"auths":{"q.io":{"auth":"YWxpY2U6czNjcmV0"', 'YWxpY2U6czNjcmV0'],
  ])('%s', (_name, text, secret) => {
    const shown = redactDockerConfig(text);
    expect(shown).not.toContain(secret);
    expect(shown).toContain(REDACTED);
  });

  it('keeps what is not secret: registries and user names', () => {
    const shown = redactDockerConfig('{"auths":{"q.io":{"username":"alice","password":"s3cret"}}}');
    expect(shown).toContain('"q.io"');
    expect(shown).toContain('"alice"');
  });

  it.each([
    ['/var/lib/kubelet/config.json', true],
    ['/run/containers/0/auth.json', true],
    ['/root/.dockercfg', true],
    ['/etc/containers/registries.conf', false],
    ['/etc/containers/policy.json', false],
  ])('%s is a credential file: %s', (p, want) => {
    expect(isCredentialFile(p)).toBe(want);
  });
});
