/**
 * The JSON inside a signature ("simple signing" for GPG, the cosign payload for sigstore),
 * decoded as paranoidly as containers/image does (signature/internal/json.go): exact field
 * sets, unknown keys rejected, every failure an InvalidSignatureError.
 */
import { fail, SignatureError } from '../errors/index.js';
import { GoJsonSyntaxError, parseGoJsonTree, unmarshalTypeError, type JsonNode } from '../config/go-json.js';
import { JsonFormatError, paranoidExactFields, paranoidObject } from '../policy/paranoid-json.js';

export const SIMPLE_SIGNING_TYPE = 'atomic container signature';
export const SIGSTORE_PAYLOAD_TYPE = 'cosign container image signature';

export interface SignedClaims {
  dockerManifestDigest: string;
  dockerReference: string;
}

/** An InvalidSignatureError: CRI-O reports these as SignatureValidationFailed. */
function invalid(msg: string): SignatureError {
  return fail(SignatureError, 'sig.invalid-signature-json', msg);
}

const NULL: JsonNode = { kind: 'null' };

/** json.Unmarshal into a Go string: null leaves "", anything else but a string is a type error. */
function goString(n: JsonNode): string {
  if (n.kind === 'null') return '';
  if (n.kind === 'string') return n.value;
  throw invalid(unmarshalTypeError(n.kind, 'string'));
}

/** json.Unmarshal into a float64: null leaves 0; a number Go cannot hold as a float64 is a type error. */
function goFloat64(n: JsonNode): number {
  if (n.kind === 'null') return 0;
  if (n.kind !== 'number') throw invalid(unmarshalTypeError(n.kind, 'float64'));
  const v = Number(n.literal);
  if (!Number.isFinite(v)) throw invalid(unmarshalTypeError(`number ${n.literal}`, 'float64'));
  return v;
}

/**
 * Decodes and validates a payload; `type` is the signature type it must declare. Throws
 * SignatureError (an InvalidSignatureError in containers/image terms).
 */
export function parseSignedClaims(payload: Uint8Array, type: string): SignedClaims {
  try {
    return decodeClaims(parseGoJsonTree(payload), type);
  } catch (e) {
    // strictUnmarshalJSON's caller turns every JSONFormatError (and encoding/json's errors) into an InvalidSignatureError.
    if (e instanceof GoJsonSyntaxError || e instanceof JsonFormatError) throw invalid(e.message);
    throw e;
  }
}

/** untrustedSignature / UntrustedSigstorePayload strictUnmarshalJSON. */
function decodeClaims(doc: JsonNode, type: string): SignedClaims {
  let critical = NULL;
  let optional = NULL;
  paranoidExactFields(doc, { critical: (v) => (critical = v), optional: (v) => (optional = v) });
  let timestamp: number | undefined;
  // cosign writes "optional": null when there are no annotations; 5.23.1 accepts that for sigstore only.
  if (!(optional.kind === 'null' && type === SIGSTORE_PAYLOAD_TYPE)) {
    paranoidObject(optional, (key) => {
      if (key === 'creator') return (v) => void goString(v);
      if (key === 'timestamp') return (v) => (timestamp = goFloat64(v));
      return () => undefined;
    });
  }
  // Go's int64(timestamp) round trip: fractions and values beyond int64 fail.
  if (timestamp !== undefined && !(Number.isInteger(timestamp) && timestamp >= -(2 ** 63) && timestamp < 2 ** 63)) {
    throw fail(SignatureError, 'sig.timestamp-not-integer');
  }
  let t = '';
  let image = NULL;
  let identity = NULL;
  paranoidExactFields(critical, { type: (v) => (t = goString(v)), image: (v) => (image = v), identity: (v) => (identity = v) });
  if (t !== type) throw fail(SignatureError, 'sig.unrecognized-type', t);
  let dockerManifestDigest = '';
  paranoidExactFields(image, { 'docker-manifest-digest': (v) => (dockerManifestDigest = goString(v)) });
  let dockerReference = '';
  paranoidExactFields(identity, { 'docker-reference': (v) => (dockerReference = goString(v)) });
  return { dockerManifestDigest, dockerReference };
}
