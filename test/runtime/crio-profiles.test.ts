import { describe, expect, it } from 'vitest';
import { fail, PolicyError, RegistryApiError, TransportError, wrap, type StackError } from '../../src/errors/index.js';
import { CopyFailure, type CopyStage } from '../../src/pull/copy-image.js';
import { parseNormalizedNamed } from '../../src/reference/reference.js';
import { crioCandidateError, crioFinalError, kubeletPullReason } from '../../src/runtime/crio.js';
import { crioProfile, crioProfiles, DEFAULT_CRIO } from '../../src/runtime/crio-profiles.js';

const REF = parseNormalizedNamed('reg.example.com:5000/app:1.0');
const refused = (): StackError =>
  wrap(TransportError, 'docker.pinging', wrap(TransportError, 'net.get', fail(TransportError, 'net.connection-refused', '10.0.0.1:5000'), 'https://reg.example.com:5000/v2/'), 'reg.example.com:5000');
const unknown = (): StackError => wrap(RegistryApiError, 'docker.reading-manifest', fail(RegistryApiError, 'registry.manifest-unknown'), '1.0', 'reg.example.com:5000/app');
const rejected = (): StackError => fail(PolicyError, 'policy.reject', 'docker://reg.example.com:5000/app:1.0');

const PING = 'pinging container registry reg.example.com:5000: Get "https://reg.example.com:5000/v2/": dial tcp 10.0.0.1:5000: connect: connection refused';
const MANIFEST = 'reading manifest 1.0 in reg.example.com:5000/app: manifest unknown';
const SOURCE = 'initializing source docker://reg.example.com:5000/app:1.0';
const REJECTED = 'Source image rejected: Running image docker://reg.example.com:5000/app:1.0 is rejected by policy.';

describe('the profiles: a default, and every release named', () => {
  it('defaults to the OKD 4.15-era 1.28', () => {
    expect(crioProfile(undefined).version).toBe(DEFAULT_CRIO);
    expect(DEFAULT_CRIO).toBe('1.28');
  });
  it.each(crioProfiles().map((p) => [p.version]))('%s is accepted', (v) => {
    expect(crioProfile(v).version).toBe(v);
  });
  it.each([['1.27'], ['1.35'], ['latest'], ['']])('%j is refused, naming the accepted ones', (v) => {
    expect(() => crioProfile(v, 'x.yaml')).toThrow(/accepted: 1\.28, 1\.31, 1\.33, 1\.34, 1\.36/);
  });
});

describe("each release's wording of a failed candidate (internal/storage/image.go)", () => {
  it.each<[string, CopyStage, () => StackError, string]>([
    ['1.28', 'source', refused, PING],
    ['1.28', 'source', unknown, MANIFEST],
    ['1.28', 'policy', rejected, REJECTED],
    ['1.31', 'source', refused, `${SOURCE}: ${PING}`],
    ['1.31', 'policy', rejected, REJECTED],
    ['1.33', 'source', unknown, `unable to try pulling possible OCI artifact: get manifest: build image source: ${MANIFEST}`],
    ['1.33', 'policy', rejected, REJECTED],
    ['1.34', 'source', refused, `unable to pull image or OCI artifact: pull image err: ${SOURCE}: ${PING}; artifact err: get manifest: build image source: ${PING}`],
    ['1.34', 'policy', rejected, `unable to pull image or OCI artifact: pull image err: ${REJECTED}; artifact err: provided artifact is a container image`],
    ['1.36', 'source', refused, `unable to pull image: ${SOURCE}: ${PING}`],
    ['1.36', 'source', unknown, `unable to pull image or OCI artifact: pull image err: ${SOURCE}: ${MANIFEST}; artifact err: image reference: get manifest from ref: create image source: ${MANIFEST}`],
    ['1.36', 'policy', rejected, `unable to pull image or OCI artifact: pull image err: ${REJECTED}; artifact err: image reference: reference is a container image, not an OCI artifact`],
  ])('%s, %s stage: %s', (version, stage, error, want) => {
    expect(crioCandidateError(new CopyFailure(stage, error()), REF, crioProfile(version)).message).toBe(want);
  });
});

describe("PullImage's CRI error names, and the kubelet's reading of them", () => {
  it.each(crioProfiles().map((p) => [p.version]))('%s: a refused connection is RegistryUnavailable', (v) => {
    const err = crioFinalError(crioCandidateError(new CopyFailure('source', refused()), REF, crioProfile(v)), crioProfile(v));
    expect(err.message).toMatch(/^RegistryUnavailable: /);
  });
  it('a manifest error keeps its text', () => {
    const err = crioFinalError(unknown(), crioProfile('1.28'));
    expect(err.message).toBe(MANIFEST);
  });
  it.each([
    ['RegistryUnavailable: dial tcp …', 'RegistryUnavailable'],
    ['SignatureValidationFailed: Source image rejected: …', 'SignatureValidationFailed'],
    ['rpc error: code = Unknown desc = RegistryUnavailable: dial tcp …', 'ErrImagePull'],
    [MANIFEST, 'ErrImagePull'],
  ])('evalCRIPullErr(%j) → %s', (message, reason) => {
    expect(kubeletPullReason(message)).toBe(reason);
  });
});

describe('a signature rejection is SignatureValidationFailed in every release', () => {
  it.each(crioProfiles().map((p) => [p.version]))('%s', (v) => {
    const f = new CopyFailure('policy', rejected());
    expect(crioFinalError(crioCandidateError(f, REF, crioProfile(v)), crioProfile(v)).message).toMatch(/^SignatureValidationFailed: /);
  });
});
