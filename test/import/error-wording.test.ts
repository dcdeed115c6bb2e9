/**
 * formatPingError / formatRepositoryError branches that no fake registry answer reaches (a TLS
 * answer that looks like an oversized record, Docker Hub's token text), from the Go error texts.
 */
import { describe, expect, it } from 'vitest';
import { StackError } from '../../src/errors/index.js';
import { pingFailure, repositoryFailure } from '../../src/openshift/import/importer.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';

const ref = parseNormalizedNamed('nexus.example.com/team/app:1.0');
const err = (message: string) => new StackError('test', message);

describe('ping failures', () => {
  it.each([
    ['tls: oversized record received with length 20527', false, { status: { reason: 'BadRequest', message: 'the repository team/app is HTTP only and requires the insecure flag to import' } }],
    ['tls: oversized record received with length 20527', true, { plain: 'nexus.example.com/team/app:1.0: tls: oversized record received with length 20527' }],
    ['Get "https://x/v2/": no basic auth credentials', false, { status: { reason: 'Unauthorized', message: 'you may not have access to the container image "nexus.example.com/team/app:1.0" and did not have credentials to the repository' } }],
  ])('%s (insecure %s)', (message, insecure, want) => {
    expect(pingFailure(ref, insecure, err(message))).toEqual(want);
  });
});

describe('repository failures', () => {
  it.each([
    ['unauthorized: incorrect username or password', { status: { reason: 'Unauthorized', message: 'incorrect username or password for image "nexus.example.com/team/app:1.0"' } }],
    ['received unexpected HTTP status: 502 Bad Gateway', { plain: 'nexus.example.com/team/app:1.0: received unexpected HTTP status: 502 Bad Gateway' }],
  ])('%s', (message, want) => {
    expect(repositoryFailure(ref, err(message))).toEqual(want);
  });
});
