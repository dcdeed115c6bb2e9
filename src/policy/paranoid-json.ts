/**
 * containers/image's "paranoid" JSON object walker (signature/internal/json.go), which both
 * policy.json and signature payloads go through: members in document order, a repeated key, an
 * unknown key or (for exact field sets) a missing key is an error, and each value is decoded
 * as it is met, so the first problem in the document is the one reported.
 */
import type { JsonNode } from '../config/go-json.js';
import { text } from '../errors/index.js';
import { tokenText } from './json-tree.js';

/** c/i's JSONFormatError: its text only; policy.json and the signature code each wrap it in their own error. */
export class JsonFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFormatError';
  }
}

/** Where a key's value goes: undefined rejects the key. */
export type FieldResolver = (key: string) => ((value: JsonNode) => void) | undefined;

/** ParanoidUnmarshalJSONObject. */
export function paranoidObject(n: JsonNode, resolve: FieldResolver): void {
  if (n.kind !== 'object') throw new JsonFormatError(text('json.format-object-expected', tokenText(n)));
  const seen = new Set<string>();
  for (const [key, value] of n.members) {
    if (seen.has(key)) throw new JsonFormatError(text('json.format-duplicate-key', key));
    seen.add(key);
    const decode = resolve(key);
    if (!decode) throw new JsonFormatError(text('json.format-unknown-key', key));
    decode(value);
  }
}

/** ParanoidUnmarshalJSONObjectExactFields: every listed field present, no other. */
export function paranoidExactFields(n: JsonNode, fields: Record<string, (value: JsonNode) => void>): void {
  const seen = new Set<string>();
  paranoidObject(n, (key) => {
    const decode = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (decode) seen.add(key);
    return decode;
  });
  for (const key of Object.keys(fields)) if (!seen.has(key)) throw new JsonFormatError(text('json.format-key-missing', key));
}
