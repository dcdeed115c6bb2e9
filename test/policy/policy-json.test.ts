import { describe, expect, it } from 'vitest';
import { MemoryFS } from '../../src/node-fs.js';
import { defaultSystemContext, type SystemContext } from '../../src/system-context.js';
import { loadPolicy, parsePolicyText, policyErrorText, policyPath } from '../../src/policy/policy-json.js';

function sys(over: Partial<SystemContext> = {}): SystemContext {
  return { ...defaultSystemContext('skopeo'), ...over };
}

function parseError(json: string): string {
  try {
    parsePolicyText(json);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

const accept = '[{"type":"insecureAcceptAnything"}]';

describe('which policy.json is read', () => {
  it.each([
    ['explicit path wins even over the user file', { '/p.json': '{}', '/root/.config/containers/policy.json': '{}' }, { signaturePolicyPath: '/p.json' }, '/p.json'],
    ['user file when it exists', { '/root/.config/containers/policy.json': '{}', '/etc/containers/policy.json': '{}' }, {}, '/root/.config/containers/policy.json'],
    ['system file otherwise, existing or not', {}, {}, '/etc/containers/policy.json'],
  ])('%s', (_name, files, over, want) => {
    expect(policyPath(new MemoryFS(files), sys(over))).toBe(want);
  });

  it('a directory at the user path counts as existing (stat), then reading it fails', () => {
    const fs = new MemoryFS();
    fs.mkdir('/root/.config/containers/policy.json');
    expect(policyErrorText(fs, sys({ runtime: 'podman' }))).toBe('read /root/.config/containers/policy.json: is a directory');
  });
});

describe('load errors as the tools print them (config-invalid/122,123,125,131,132)', () => {
  const broken = '{"default": [{"type": "insecureAcceptAnything"}],}\n';
  it.each([
    ['skopeo', { '/etc/containers/policy.json': broken }, {}, `Error loading trust policy: invalid policy in "/etc/containers/policy.json": invalid character '}' looking for beginning of object key string`],
    ['podman', { '/etc/containers/policy.json': broken }, {}, `invalid policy in "/etc/containers/policy.json": invalid character '}' looking for beginning of object key string`],
    ['skopeo', { '/etc/containers/policy.json': '{"transports": {"docker": {"harbor.lab.test": [{"type": "insecureAcceptAnything"}]}}}' }, {}, 'Error loading trust policy: invalid policy in "/etc/containers/policy.json": Default policy is missing'],
    ['skopeo', { '/etc/containers/policy.json': `{"default": ${accept}}` }, { signaturePolicyPath: '/root/nope.json' }, 'Error loading trust policy: open /root/nope.json: no such file or directory'],
    ['skopeo', {}, {}, 'Error loading trust policy: open /etc/containers/policy.json: no such file or directory'],
    ['crio', {}, {}, 'open /etc/containers/policy.json: no such file or directory'],
  ] as const)('%s: %s', (runtime, files, over, want) => {
    expect(policyErrorText(new MemoryFS(files), sys({ runtime, ...over }))).toBe(want);
  });

  it('a loaded policy records its path', () => {
    const p = loadPolicy(new MemoryFS({ '/etc/containers/policy.json': `{"default": ${accept}}` }), sys());
    expect(p.path).toBe('/etc/containers/policy.json');
    expect(p.default).toEqual([{ type: 'insecureAcceptAnything' }]);
  });
});

describe('top-level and transport structure', () => {
  it.each([
    ['unknown top-level key', `{"default": ${accept}, "defualt": []}`, 'Unknown key "defualt"'],
    ['keys are case-sensitive', `{"Default": ${accept}}`, 'Unknown key "Default"'],
    ['duplicate key', `{"default": ${accept}, "default": ${accept}}`, 'Duplicate key "default"'],
    ['top level is an array', '[]', 'JSON object expected, got "["'],
    ['top level is null', 'null', 'JSON object expected, got "%!s(<nil>)"'],
    ['top level is a string', '"x"', 'JSON object expected, got "x"'],
    ['top level is a number', '1000000', 'JSON object expected, got "%!s(float64=1e+06)"'],
    ['top level is a bool', 'true', 'JSON object expected, got "%!s(bool=true)"'],
    ['transports null', `{"default": ${accept}, "transports": null}`, 'JSON object expected, got "%!s(<nil>)"'],
    ['transport value not an object', `{"default": ${accept}, "transports": {"docker": []}}`, 'JSON object expected, got "["'],
    ['duplicate transport', `{"default": ${accept}, "transports": {"docker": {}, "docker": {}}}`, 'Duplicate key "docker"'],
    ['duplicate scope', `{"default": ${accept}, "transports": {"docker": {"a.io": ${accept}, "a.io": ${accept}}}}`, 'Duplicate key "a.io"'],
    ['empty requirement list', '{"default": []}', 'List of verification policy requirements must not be empty'],
    ['null requirement list', '{"default": null}', 'List of verification policy requirements must not be empty'],
    ['empty scope list', `{"default": ${accept}, "transports": {"docker": {"a.io": []}}}`, 'List of verification policy requirements must not be empty'],
    ['requirement list is an object', '{"default": {}}', 'json: cannot unmarshal object into Go value of type []json.RawMessage'],
    ['syntax error wins over structure', '{"default": [}', "invalid character '}' looking for beginning of value"],
    ['truncated input', '{"default": [', 'unexpected end of JSON input'],
  ])('%s', (_name, json, want) => {
    expect(parseError(json)).toBe(want);
  });

  it('an unknown transport name is accepted, kept, and never consulted for docker (config-invalid/130)', () => {
    const p = parsePolicyText('{"default":[{"type":"reject"}],"transports":{"dockr":{"harbor.lab.test":[{"type":"insecureAcceptAnything"}]}}}');
    expect([...p.transports.keys()]).toEqual(['dockr']);
    expect(p.transports.has('docker')).toBe(false);
  });
});

describe('requirement types', () => {
  const withReq = (req: string) => `{"default": [${req}]}`;
  it.each([
    ['unknown type', '{"type": "acceptAll"}', 'Unknown policy requirement type "acceptAll"'],
    ['missing type', '{}', 'Unknown policy requirement type ""'],
    ['null requirement', 'null', 'Unknown policy requirement type ""'],
    ['requirement is a string', '"reject"', 'json: cannot unmarshal string into Go value of type signature.prCommon'],
    ['type is a number', '{"type": 1}', 'json: cannot unmarshal number into Go struct field prCommon.type of type signature.prTypeIdentifier'],
    ['type matched case-insensitively first, then rejected as an unknown key', '{"TYPE": "reject"}', 'Unknown key "TYPE"'],
    ['extra key on reject', '{"type": "reject", "reason": "x"}', 'Unknown key "reason"'],
    ['duplicate type', '{"type": "reject", "type": "reject"}', 'Duplicate key "type"'],
    ['signedBaseLayer needs baseLayerIdentity', '{"type": "signedBaseLayer"}', 'Key "baseLayerIdentity" missing in a JSON object'],
  ])('%s', (_name, req, want) => {
    expect(parseError(withReq(req))).toBe(want);
  });

  it.each([
    ['{"type": "insecureAcceptAnything"}', { type: 'insecureAcceptAnything' }],
    ['{"type": "reject"}', { type: 'reject' }],
    ['{"type": "signedBaseLayer", "baseLayerIdentity": {"type": "matchExact"}}', { type: 'signedBaseLayer', baseLayerIdentity: { type: 'matchExact' } }],
  ])('parses %s', (req, want) => {
    expect(parsePolicyText(withReq(req)).default).toEqual([want]);
  });
});

describe('signedBy', () => {
  const sb = (fields: string) => `{"default": [{"type": "signedBy"${fields}}]}`;
  it.each([
    ['no key source', ', "keyType": "GPGKeys"', 'Exactly one of keyPath, keyPaths and keyData must be specified, none of them present'],
    ['two key sources', ', "keyType": "GPGKeys", "keyPath": "/a", "keyData": "YQ=="', 'Exactly one of keyPath, keyPaths and keyData must be specified, more than one present'],
    ['missing keyType', ', "keyPath": "/a"', 'invalid keyType ""'],
    ['unknown keyType', ', "keyType": "PGP", "keyPath": "/a"', 'Unrecognized keyType value "PGP"'],
    ['null keyType', ', "keyType": null, "keyPath": "/a"', 'Unrecognized keyType value ""'],
    ['keyType not a string', ', "keyType": 3, "keyPath": "/a"', 'json: cannot unmarshal number into Go value of type string'],
    ['empty keyPath is no source', ', "keyType": "GPGKeys", "keyPath": ""', 'exactly one of keyPath, keyPaths and keyData must be specified'],
    ['null keyPaths is no source', ', "keyType": "GPGKeys", "keyPaths": null', 'exactly one of keyPath, keyPaths and keyData must be specified'],
    ['keyPaths not an array', ', "keyType": "GPGKeys", "keyPaths": "/a"', 'json: cannot unmarshal string into Go value of type []string'],
    ['keyPaths element not a string', ', "keyType": "GPGKeys", "keyPaths": ["/a", 2]', 'json: cannot unmarshal number into Go value of type string'],
    ['keyData not base64', ', "keyType": "GPGKeys", "keyData": "not*base64"', 'illegal base64 data at input byte 3'],
    ['keyData a number', ', "keyType": "GPGKeys", "keyData": 5', 'json: cannot unmarshal number into Go value of type []uint8'],
    ['unknown field', ', "keyType": "GPGKeys", "keyPath": "/a", "keyPaht": "/b"', 'Unknown key "keyPaht"'],
    ['signedIdentity null', ', "keyType": "GPGKeys", "keyPath": "/a", "signedIdentity": null', 'Unknown policy reference match type ""'],
    ['signedIdentity checked before the key sources', ', "signedIdentity": {"type": "bogus"}', 'Unknown policy reference match type "bogus"'],
  ])('%s', (_name, fields, want) => {
    expect(parseError(sb(fields))).toBe(want);
  });

  it.each([
    [', "keyType": "GPGKeys", "keyPath": "/k.gpg"', { type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.gpg', signedIdentity: { type: 'matchRepoDigestOrExact' } }],
    [', "keyType": "signedByGPGKeys", "keyPaths": []', { type: 'signedBy', keyType: 'signedByGPGKeys', keyPaths: [], signedIdentity: { type: 'matchRepoDigestOrExact' } }],
    [', "keyType": "X509Certificates", "keyData": "YWJj", "signedIdentity": {"type": "matchRepository"}', { type: 'signedBy', keyType: 'X509Certificates', keyData: 'YWJj', signedIdentity: { type: 'matchRepository' } }],
  ])('parses %s', (fields, want) => {
    expect(parsePolicyText(sb(fields)).default).toEqual([want]);
  });
});

describe('sigstoreSigned (5.23.1: keyPath or keyData only)', () => {
  const ss = (fields: string) => `{"default": [{"type": "sigstoreSigned"${fields}}]}`;
  it.each([
    ['neither key', '', 'At least one of keyPath and keyData must be specified'],
    ['both keys', ', "keyPath": "/a", "keyData": "YQ=="', 'keyPath and keyData cannot be used simultaneously'],
    ['fulcio is unknown in 5.23.1', ', "fulcio": {}', 'Unknown key "fulcio"'],
    ['keyPaths is unknown in 5.23.1', ', "keyPaths": ["/a"]', 'Unknown key "keyPaths"'],
    ['keyData bad base64', ', "keyData": "YQ="', 'illegal base64 data at input byte 3'],
  ])('%s', (_name, fields, want) => {
    expect(parseError(ss(fields))).toBe(want);
  });

  it('parses keyPath with an identity', () => {
    expect(parsePolicyText(ss(', "keyPath": "/k.pub", "signedIdentity": {"type": "matchExact"}')).default).toEqual([
      { type: 'sigstoreSigned', keyPath: '/k.pub', signedIdentity: { type: 'matchExact' } },
    ]);
  });
});

describe('signedIdentity kinds', () => {
  const si = (identity: string) => `{"default": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "/k", "signedIdentity": ${identity}}]}`;
  it.each([
    ['{"type": "matchExact"}', { type: 'matchExact' }],
    ['{"type": "matchRepoDigestOrExact"}', { type: 'matchRepoDigestOrExact' }],
    ['{"type": "matchRepository"}', { type: 'matchRepository' }],
    ['{"type": "exactReference", "dockerReference": "quay.io/a/b:v1"}', { type: 'exactReference', dockerReference: 'quay.io/a/b:v1' }],
    ['{"type": "exactRepository", "dockerRepository": "quay.io/a/b"}', { type: 'exactRepository', dockerRepository: 'quay.io/a/b' }],
    ['{"type": "remapIdentity", "prefix": "mirror.io/ns", "signedPrefix": "quay.io"}', { type: 'remapIdentity', prefix: 'mirror.io/ns', signedPrefix: 'quay.io' }],
  ])('parses %s', (identity, want) => {
    const req = parsePolicyText(si(identity)).default[0] as { signedIdentity: unknown };
    expect(req.signedIdentity).toEqual(want);
  });

  it.each([
    ['extra key', '{"type": "matchExact", "x": 1}', 'Unknown key "x"'],
    ['missing dockerReference', '{"type": "exactReference"}', 'Key "dockerReference" missing in a JSON object'],
    ['name-only dockerReference', '{"type": "exactReference", "dockerReference": "quay.io/a/b"}', 'dockerReference quay.io/a/b contains neither a tag nor digest'],
    ['invalid dockerReference', '{"type": "exactReference", "dockerReference": "Quay.io/A"}', 'Invalid format of dockerReference Quay.io/A: invalid reference format: repository name must be lowercase'],
    ['invalid dockerRepository', '{"type": "exactRepository", "dockerRepository": ""}', 'Invalid format of dockerRepository : invalid reference format'],
    ['remap prefix with an uppercase path', '{"type": "remapIdentity", "prefix": "quay.io/NS", "signedPrefix": "quay.io"}', 'prefix "quay.io/NS" is not valid'],
    ['remap prefix ns/repo passes (c/i cannot tell it from host/repo)', '{"type": "remapIdentity", "prefix": "ns/repo", "signedPrefix": "quay.io"}', 'no error'],
    ['remap signedPrefix invalid', '{"type": "remapIdentity", "prefix": "quay.io", "signedPrefix": "http://x"}', 'prefix "http://x" is not valid'],
    ['identity is a string', '"matchExact"', 'json: cannot unmarshal string into Go value of type signature.prmCommon'],
    ['type not a string', '{"type": true}', 'json: cannot unmarshal bool into Go struct field prmCommon.type of type signature.prmTypeIdentifier'],
  ])('%s', (_name, identity, want) => {
    expect(parseError(si(identity))).toBe(want);
  });
});
