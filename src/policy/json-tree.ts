/**
 * Go's decoding rules over a JsonNode tree (parseGoJsonTree), for the decoders that must see
 * every member: struct field lookup and the token text of "JSON object expected, got …".
 */
import type { JsonNode } from '../config/go-json.js';

/**
 * Go's struct decoding picks a field by exact key first, then case-insensitively (with the
 * Kelvin sign and long s folding to k and s); a repeated key is decoded again, so the last wins.
 */
export function structField(obj: Extract<JsonNode, { kind: 'object' }>, field: string): JsonNode | undefined {
  let found: JsonNode | undefined;
  const want = foldKey(field);
  for (const [k, v] of obj.members) if (k === field || foldKey(k) === want) found = v;
  return found;
}

function foldKey(k: string): string {
  return k.replace(/\u212a/g, 'k').replace(/\u017f/g, 's').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Go's %s of a json.Token that is not a '{' (ParanoidUnmarshalJSONObject's "JSON object
 * expected, got …"): a Delim prints itself, a string itself, anything else fmt's bad-verb form.
 */
export function tokenText(n: JsonNode): string {
  switch (n.kind) {
    case 'array': return '[';
    case 'string': return n.value;
    case 'bool': return `%!s(bool=${n.value})`;
    case 'null': return '%!s(<nil>)';
    case 'number': return `%!s(float64=${goFloatV(Number(n.literal))})`;
    case 'object': return '{';
  }
}

/** fmt's %v of a float64: strconv's shortest %g, which switches to exponent form when exp < -4 or exp >= 6. */
function goFloatV(f: number): string {
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : `${Math.abs(exp)}`;
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return String(f);
}
