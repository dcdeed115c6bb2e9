/**
 * A YAML mapping key that is itself a map or a list. go-yaml v2 (under ghodss/yaml and
 * sigs.k8s.io/yaml, so under containers/image's registries.d reader and `oc apply`) refuses it
 * while decoding, `yaml: invalid map key: %#v`; the JavaScript reader would turn it into a string
 * (and print a warning of its own). Found before any value is built, with Go's %#v of the key.
 */
import type { Document, Node, Pair } from 'yaml';
import { yaml } from '../yaml-lazy.js';
import { goQuote } from '../errors/go-format.js';

/** The first pair, in document order, whose key is a map or a list, in a document or below a node. */
export function collectionKey(doc: Document.Parsed | Document | Node): Pair | undefined {
  const { visit, isMap, isSeq } = yaml();
  let found: Pair | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isMap(pair.key) || isSeq(pair.key)) {
        found = pair as Pair;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** go-yaml v2's message for such a key: `invalid map key: <Go's %#v of the key as decoded into interface{}>`. */
export function invalidMapKey(doc: Document.Parsed | Document, pair: Pair): string {
  return `invalid map key: ${goSharpV((pair.key as Node).toJS(doc, { mapAsMap: true }), false)}`;
}

/** Go's %g shortest for a float64, as %v prints it: an exponent below -4 or from 6 up is written e±dd. */
function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp >= -4 && exp < 6) return String(x);
  const [mant, e] = x.toExponential().split('e') as [string, string];
  const n = Number(e);
  return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/**
 * Go's %#v of what go-yaml v2 decodes into interface{}: string, int, float64, bool, nil,
 * []interface {} and map[interface {}]interface {} (keys sorted as fmt sorts them when they are of
 * one type; mixed key types, whose order depends on the Go runtime, in document order). An
 * integral float written with an exponent (`1e10`) reads as a number here and prints as an int.
 */
export function goSharpV(v: unknown, inInterface: boolean): string {
  if (v === null || v === undefined) return inInterface ? 'interface {}(nil)' : '<nil>';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? String(v) : goFloat(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSharpV(x, true)).join(', ')}}`;
  if (v instanceof Map) {
    const entries = [...v.entries()];
    const kinds = new Set(entries.map(([k]) => typeof k));
    if (kinds.size === 1 && (kinds.has('string') || kinds.has('number'))) {
      entries.sort(([a], [b]) => (typeof a === 'number' ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    }
    return `map[interface {}]interface {}{${entries.map(([k, x]) => `${goSharpV(k, true)}:${goSharpV(x, true)}`).join(', ')}}`;
  }
  return String(v);
}
