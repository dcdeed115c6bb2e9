/**
 * A JSON document as a tree that keeps every object member, repeated keys included, in
 * document order. containers/image's policy parser walks the token stream itself and rejects
 * a repeated key ("Duplicate key"), which an ordinary object or Map would silently collapse.
 * Syntax is checked first by the Go-exact scanner, so the builder here only ever sees valid JSON.
 */
import { parseGoJsonOrdered } from '../config/go-json.js';

export type JsonNode =
  | { kind: 'object'; members: [string, JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; literal: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/** Throws GoJsonSyntaxError (Go's text) for invalid JSON; otherwise the full tree. */
export function parseJsonTree(src: string): JsonNode {
  parseGoJsonOrdered(src);
  return new TreeBuilder(src).value();
}

class TreeBuilder {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }

  value(): JsonNode {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'string', value: this.string() };
    if (c === 't') return this.literal('true', { kind: 'bool', value: true });
    if (c === 'f') return this.literal('false', { kind: 'bool', value: false });
    if (c === 'n') return this.literal('null', { kind: 'null' });
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    this.i += m![0].length;
    return { kind: 'number', literal: m![0] };
  }

  private literal(word: string, node: JsonNode): JsonNode {
    this.i += word.length;
    return node;
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private object(): JsonNode {
    const members: [string, JsonNode][] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', members };
    }
    for (;;) {
      this.ws();
      const key = this.string();
      this.ws();
      this.i++; // ':'
      members.push([key, this.value()]);
      this.ws();
      if (this.s[this.i++] === '}') return { kind: 'object', members };
    }
  }

  private array(): JsonNode {
    const items: JsonNode[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      if (this.s[this.i++] === ']') return { kind: 'array', items };
    }
  }
}

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
