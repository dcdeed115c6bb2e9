/** allowedRegistriesForImport matching (whitelister.go): ports by transport, globs, docker.io aliases, the internal registry. */
import { describe, expect, it } from 'vitest';
import { whitelistError } from '../../src/openshift/import/whitelist.js';

const allowed = [{ domainName: 'registry.redhat.io', insecure: false }, { domainName: '*.example.com', insecure: true }, { domainName: 'docker.io', insecure: false }];

describe('which registries the whitelist admits', () => {
  it.each([
    ['registry.redhat.io:443', 'secure', true],
    ['registry.redhat.io:5000', 'secure', false],
    ['image-registry.openshift-image-registry.svc:5000', 'secure', true],
    ['nexus.example.com:80', 'secure', true],
    ['nexus.example.com:443', 'secure', false],
    ['nexus.example.com', 'any', true],
    ['index.docker.io:443', 'secure', true],
    ['quay.io:443', 'secure', false],
  ] as const)('%s (%s): %s', (registry, transport, ok) => {
    expect(whitelistError(allowed, registry, transport) === undefined).toBe(ok);
  });

  it('an empty list admits everything; more than five entries are shortened', () => {
    expect(whitelistError([], 'quay.io:443', 'secure')).toBeUndefined();
    const many = ['a.io', 'b.io', 'c.io', 'd.io', 'e.io'].map((domainName) => ({ domainName, insecure: false }));
    expect(whitelistError(many, 'quay.io:443', 'secure')).toBe(
      'registry "quay.io:443" not allowed by whitelist: "image-registry.openshift-image-registry.svc:5000", "a.io:443", "b.io:443", "c.io:443", and 2 more ...',
    );
  });
});
