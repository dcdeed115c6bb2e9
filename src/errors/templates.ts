/**
 * Every error text pullsim reports, in one table, worded exactly as the real stack words it
 * (containers/image 5.23.1, Go's net/http, crypto/tls and crypto/x509, CRI-O, the kubelet, the MCO).
 * Verbs are Go's (%s %v %d %q): see go-format.ts. Add a template to the family's section; never
 * build an error text elsewhere.
 */
export const templates = {
  // ── docker/reference (ParseNormalizedNamed) ─────────────────────────────────────────
  'ref.invalid-format': 'invalid reference format',
  'ref.not-lowercase': 'invalid reference format: repository name must be lowercase',
  'ref.name-too-long': 'repository name must not be more than 255 characters',
  'ref.name-empty': 'repository name must have at least one component',
  'ref.not-canonical': 'repository name must be canonical',
  'ref.digest-invalid-format': 'invalid checksum digest format',
  'ref.digest-invalid-length': 'invalid checksum digest length',
  'ref.digest-unsupported': 'unsupported digest algorithm',
  'ref.tag-and-digest': 'Docker references with both a tag and digest are currently not supported',
  'ref.invalid-source-name': 'Invalid source name %s: %s',

  // ── registries.conf (pkg/sysregistriesv2) ───────────────────────────────────────────
  'conf.loading': 'loading registries configuration: %s',
  'conf.loading-file': 'loading registries configuration %q: %s',
  'conf.loading-dropin': 'loading drop-in registries configuration %q: %s',
  'conf.mixing-v1-v2': 'mixing sysregistry v1/v2 is not supported',
  'conf.dropin-v1': 'registry must be in v2 format but is in v1',
  'conf.wildcard-format': 'Wildcarded prefix should be in the format: *.example.com. Current prefix %q is incorrectly formatted',
  'conf.uri-scheme': "invalid location '%s': URI schemes are not supported",
  'conf.both-unset': 'invalid condition: both location and prefix are unset',
  'conf.location-unset': 'invalid condition: location is unset and prefix is not in the format: *.example.com',
  'conf.conflicting-insecure': "registry '%s' is defined multiple times with conflicting 'insecure' setting",
  'conf.conflicting-blocked': "registry '%s' is defined multiple times with conflicting 'blocked' setting",
  'conf.pull-from-mirror-non-mirror': 'pull-from-mirror must not be set for a non-mirror registry %q',
  'conf.pull-from-mirror-bad': 'unsupported pull-from-mirror value %q for mirror %q',
  'conf.mirror-usage-conflict': 'cannot set mirror usage mirror-by-digest-only for the registry (%q) and pull-from-mirror for per-mirror (%q) at the same time',
  'conf.bad-search-registry': 'invalid unqualified-search-registries entry %q: %s',
  'conf.short-name-mode': 'invalid short-name mode: %q',
  'conf.aliases': 'validating short-name aliases: %s',
  'conf.alias-invalid': 'invalid alias %q: %s',
  'conf.short-name-invalid': 'invalid short name %q: %s',
  'conf.blocked': 'registry %s is blocked in %s or %s',
  'conf.rewrite-invalid': 'rewriting reference: %s',
  'conf.missing-explicit': 'open %s: no such file or directory',

  // ── TOML (BurntSushi/toml 1.2, as vendored by containers/image 5.23.1) ──────────────
  'toml.parse': 'toml: line %d%s: %s',

  // ── short names (pkg/shortnames) ────────────────────────────────────────────────────
  'short.no-search-in': 'short-name %q did not resolve to an alias and no unqualified-search registries are defined in %q',
  'short.no-search-no-conf': 'short-name %q did not resolve to an alias and no containers-registries.conf(5) was found',
  'short.no-tty': 'short-name resolution enforced but cannot prompt without a TTY',
  'short.crio-ambiguous': 'short name mode is enforcing, but image name %s returns ambiguous list',

  // ── policy.json (signature/) ────────────────────────────────────────────────────────
  'policy.loading': 'Error loading trust policy: %s',
  'policy.invalid': 'invalid policy in %q: %s',
  'policy.no-file': 'no policy.json file found at any of the following: %q, %q',
  'policy.default-missing': 'Default policy is missing',
  'policy.empty-requirements': 'List of verification policy requirements must not be empty',
  'policy.unknown-requirement': 'Unknown policy requirement type %q',
  'policy.rejected': 'Source image rejected: %s',
  'policy.reject': 'Running image %s is rejected by policy.',
  'policy.unimplemented-keytype': 'Unimplemented "keyType" value %q',
  'policy.signed-base-layer': 'signedBaseLayer not implemented yet!',
  'policy.no-signature': 'A signature was required, but no signature exists',
  'policy.identity-not-accepted': 'Signature for identity %q is not accepted',

  // ── credentials (pkg/docker/config) ─────────────────────────────────────────────────
  'auth.getting-credentials': 'getting username and password: %s',
  'auth.multi': '1 error occurred:\n\t* %s\n\n',
  'auth.reading-json': 'reading JSON file %q: %s',
  'auth.unmarshal-json': 'unmarshaling JSON at %q: %s',
  'auth.stat': 'stat %s: no such file or directory',

  // ── network, TLS, x509 (Go standard library) ────────────────────────────────────────
  'net.http-to-https': 'http: server gave HTTP response to HTTPS client',
  'net.x509-unknown-authority': 'x509: certificate signed by unknown authority',
  'net.x509-name-mismatch': 'x509: certificate is valid for %s, not %s',
  'net.x509-no-ip-sans': "x509: cannot validate certificate for %s because it doesn't contain any IP SANs",
  'net.x509-expired': 'x509: certificate has expired or is not yet valid: current time %s is after %s',
  'net.tls-verify-wrap': 'tls: failed to verify certificate: %s',
  'net.connection-refused': 'dial tcp %s: connect: connection refused',
  'net.no-such-host': 'dial tcp: lookup %s: no such host',
  'net.connection-reset': 'read tcp %s->%s: read: connection reset by peer',
  'net.eof': 'EOF',
  'net.unexpected-eof': 'unexpected EOF',
  'net.get': 'Get %q: %s',

  // ── containers/image docker transport ───────────────────────────────────────────────
  'docker.pinging': 'pinging container registry %s: %s',
  'docker.reading-manifest': 'reading manifest %s in %s: %s',
  'docker.mirrors-failed': '(Mirrors also failed: %s): %s: %s',
  'docker.initializing-source': 'initializing source %s: %s',
  'docker.auth-token': 'unable to retrieve auth token: invalid username/password: %s',
  'docker.bearer-status': 'Requesting bearer token: received unexpected HTTP status: %s',
  'docker.choosing-instance': 'choosing an image from manifest list %s: %s',
  'docker.no-instance-list': 'no image found in manifest list for architecture %s, variant %q, OS %s',
  'docker.no-instance-index': 'no image found in image index for architecture %s, variant %q, OS %s',
  'docker.digest-mismatch': 'Digest did not match, expected %s, got %s',
  'docker.status-body': 'StatusCode: %d, %q',

  // ── distribution registry error codes (registry/api/errcode) ───────────────────────
  'registry.manifest-unknown': 'manifest unknown',
  'registry.blob-unknown': 'blob unknown to registry',
  'registry.name-unknown': 'repository name not known to registry',
  'registry.unauthorized': 'authentication required',
  'registry.denied': 'requested access to the resource is denied',
  'registry.toomanyrequests': 'too many requests',
  'registry.unsupported': 'The operation is unsupported.',

  // ── CRI-O and the kubelet ───────────────────────────────────────────────────────────
  'crio.rpc': 'rpc error: code = Unknown desc = %s',
  'crio.registry-unavailable': 'RegistryUnavailable: %s',
  'crio.signature-validation': 'SignatureValidationFailed: %s',
  'crio.artifact': 'unable to pull image or OCI artifact: pull image err: %s; artifact err: %s',
  'kubelet.pulling': 'Pulling image %q',
  'kubelet.failed': 'Failed to pull image %q: %s',
  'kubelet.err-image-pull': 'Error: ErrImagePull',
  'kubelet.err-backoff': 'Error: ImagePullBackOff',
  'kubelet.backoff': 'Back-off pulling image %q',
  'kubelet.present': 'Container image %q already present on machine',
  'kubelet.never-pull': 'Container image %q is not present with pull policy of Never',
  'kubelet.pulled': 'Successfully pulled image %q in %s (%s including waiting). Image size: %d bytes.',
  'kubelet.registry-unavailable': 'image pull failed for %s because the registry is unavailable%s',
} as const;

export type TemplateCode = keyof typeof templates;
