/**
 * The JSON inside a signature ("simple signing" for GPG, the cosign payload for sigstore),
 * decoded as paranoidly as containers/image does (signature/internal/json.go): exact field
 * sets, unknown keys rejected, every failure an InvalidSignatureError.
 */
import { fail, SignatureError } from '../errors/index.js';
import { GoJsonNumber, GoJsonSyntaxError, goJsonKind, parseGoJsonOrdered, unmarshalTypeError, type GoJsonOrdered } from '../config/go-json.js';

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

/** The token Go's decoder names in "JSON object expected, got …". */
function tokenText(v: GoJsonOrdered): string {
  if (v === null) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[';
  if (v instanceof GoJsonNumber) return String(v.value);
  return String(v);
}

function object(v: GoJsonOrdered): Map<string, GoJsonOrdered> {
  if (!(v instanceof Map)) throw fail(SignatureError, 'sig.json-object-expected', tokenText(v));
  return v;
}

function exactFields(v: GoJsonOrdered, fields: string[]): Map<string, GoJsonOrdered> {
  const obj = object(v);
  for (const k of obj.keys()) if (!fields.includes(k)) throw fail(SignatureError, 'sig.json-unknown-key', k);
  for (const f of fields) if (!obj.has(f)) throw fail(SignatureError, 'sig.json-key-missing', f);
  return obj;
}

/** json.Unmarshal into a Go string: null leaves "", anything else but a string is a type error. */
function goString(v: GoJsonOrdered | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  throw invalid(unmarshalTypeError(goJsonKind(v), 'string'));
}

/**
 * Decodes and validates a payload; `type` is the signature type it must declare. Throws
 * SignatureError (an InvalidSignatureError in containers/image terms).
 */
export function parseSignedClaims(payload: Uint8Array, type: string): SignedClaims {
  let doc: GoJsonOrdered;
  try {
    doc = parseGoJsonOrdered(payload);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) throw invalid(e.message);
    throw e;
  }
  const top = exactFields(doc, ['critical', 'optional']);
  const optional = top.get('optional')!;
  // cosign writes "optional": null when there are no annotations; 5.23.1 accepts that for sigstore only.
  if (!(optional === null && type === SIGSTORE_PAYLOAD_TYPE)) {
    for (const [k, v] of object(optional)) {
      if (k === 'creator') goString(v);
      if (k === 'timestamp') {
        if (!(v instanceof GoJsonNumber) && v !== null) throw invalid(unmarshalTypeError(goJsonKind(v), 'float64'));
        if (v instanceof GoJsonNumber && !Number.isInteger(v.value)) throw fail(SignatureError, 'sig.timestamp-not-integer');
      }
    }
  }
  const critical = exactFields(top.get('critical')!, ['type', 'image', 'identity']);
  const t = goString(critical.get('type'));
  if (t !== type) throw fail(SignatureError, 'sig.unrecognized-type', t);
  const image = exactFields(critical.get('image')!, ['docker-manifest-digest']);
  const dockerManifestDigest = goString(image.get('docker-manifest-digest'));
  const identity = exactFields(critical.get('identity')!, ['docker-reference']);
  return { dockerManifestDigest, dockerReference: goString(identity.get('docker-reference')) };
}

