/**
 * Typed reads from a parsed YAML document that remember where each value came from, so every
 * complaint about a scenario names the file, the 1-based line and the key path
 * (`registries.nexus.tls.ca`, `pulls[0].image`).
 */
import type { Document, LineCounter, Node } from 'yaml';
import { yaml } from '../yaml-lazy.js';
import { SCENARIO_LIMITS } from './limits.js';
import { InputError, text, type TemplateCode } from '../errors/index.js';
import { closest } from '../suggest.js';
import { collectionKey, invalidMapKey } from '../config/yaml-map-key.js';

/** A value in the document: its node (null when the key has no value) and where it is. */
export interface Site {
  node: Node | null;
  path: string;
  /** Source offset, turned into a line only when a message needs it. */
  pos: number;
  /** For a map value: the offset of its key, where an unknown field is reported. */
  keyPos?: number;
}

/** Where a complaint points: a key path and a source offset. */
export interface At {
  path: string;
  pos: number;
}

export type Kind = 'map' | 'list' | 'string' | 'number' | 'bool' | 'null';

const kindWords: Record<Kind, string> = {
  map: 'a map (key: value)',
  list: 'a list',
  string: 'a string',
  number: 'a number',
  bool: 'true or false',
  null: 'nothing',
};

/** How a value's kind reads in "got …". */
export function describeKind(k: Kind): string {
  return k === 'bool' ? 'a boolean' : kindWords[k];
}

/** Key path segment: plain names join with '.', anything else (paths, repo:tag) is quoted. */
export function childPath(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * The parser's message without the source text some messages quote, which may be a password on
 * a malformed line; the line and column say where to look.
 */
export function withoutSource(message: string): string {
  const first = message.split('\n')[0].replace(/: ".*"$/, '');
  const quoting = /^(Block scalar header includes extra characters|Invalid escape sequence|Plain value cannot start with)\b/.exec(first);
  return quoting ? quoting[1] : first;
}

export class YamlReader {
  private constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses `source`; a syntax error becomes one InputError line with its position. */
  static parse(source: string, file: string): { reader: YamlReader; root: Site } {
    const size = Buffer.byteLength(source);
    if (size > SCENARIO_LIMITS.fileBytes) throw new InputError(text('scenario.too-large', size, SCENARIO_LIMITS.fileBytes), file);
    const lines = new (yaml().LineCounter)();
    const doc = yaml().parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const reader = new YamlReader(file, doc, lines);
    const error = doc.errors[0];
    if (error) {
      const at = { path: '', pos: error.pos[0] };
      if (error.code === 'MULTIPLE_DOCS') reader.fail(at, 'scenario.multiple-docs');
      // The parser recurses per nesting level: a stack overflow there is nesting beyond any limit.
      if (/Maximum call stack/.test(error.message)) reader.fail(at, 'scenario.too-deep', SCENARIO_LIMITS.depth);
      const pos = lines.linePos(error.pos[0]);
      // `${…}` is YAML flow syntax, so an unquoted placeholder in [ ] or { } breaks the line it is on.
      const onLine = source.split('\n')[pos.line - 1] ?? '';
      const code = onLine.includes('${') ? 'scenario.yaml-placeholder' : 'scenario.yaml';
      reader.fail(at, code, withoutSource(error.message), pos.col);
    }
    reader.checkShape();
    const node = (doc.contents as Node | null) ?? null;
    return { reader, root: reader.site(node, '', node?.range?.[0] ?? 0) };
  }

  /** Nesting depth and alias count within SCENARIO_LIMITS, before anything walks the document. */
  private checkShape(): void {
    let aliases = 0;
    yaml().visit(this.doc, {
      Alias: (_key, node) => {
        if (++aliases > SCENARIO_LIMITS.aliases) this.fail({ path: '', pos: node.range?.[0] ?? 0 }, 'scenario.too-many-aliases', aliases, SCENARIO_LIMITS.aliases);
      },
      Node: (_key, node, path) => {
        const depth = path.filter((p) => yaml().isCollection(p)).length + (yaml().isCollection(node) ? 1 : 0);
        if (depth > SCENARIO_LIMITS.depth) this.fail({ path: '', pos: node.range?.[0] ?? 0 }, 'scenario.too-deep', SCENARIO_LIMITS.depth);
        // Deeper levels need not be visited: the first one past the limit fails.
        return undefined;
      },
    });
  }

  fail(at: At, code: TemplateCode, ...args: unknown[]): never {
    throw new InputError(text(code, ...args), this.file, this.line(at), at.path || undefined);
  }

  /** 1-based line of a place in the source. */
  line(at: At): number {
    return this.lines.linePos(at.pos).line;
  }

  /** Where a map entry's key is: the place for complaints about the key itself. */
  keyOf(value: Site): At {
    return { path: value.path, pos: value.keyPos ?? value.pos };
  }

  private site(node: Node | null, path: string, pos: number): Site {
    if (node && yaml().isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) this.fail({ path, pos }, 'scenario.unresolved-alias', `*${node.source}`);
      return this.site(target as Node, path, pos);
    }
    return { node, path, pos };
  }

  kind(at: Site): Kind {
    const n = at.node;
    if (n === null || yaml().isMap(n)) return n === null ? 'null' : 'map';
    if (yaml().isSeq(n)) return 'list';
    if (yaml().isScalar(n)) {
      const v = n.value;
      if (v === null || v === undefined) return 'null';
      if (typeof v === 'string') return 'string';
      if (typeof v === 'number' || typeof v === 'bigint') return 'number';
      if (typeof v === 'boolean') return 'bool';
    }
    return 'string';
  }

  /** Fails with "expected <want>, got <kind>", hinting at quotes where a string was meant. */
  wrongType(at: Site, want: string): never {
    const got = this.kind(at);
    if (want === kindWords.string && (got === 'number' || got === 'bool')) this.fail(at, 'scenario.type-quote', describeKind(got));
    this.fail(at, 'scenario.type', want, describeKind(got));
  }

  /** The pairs of a map in document order; null (an empty value) reads as an empty map. */
  entries(at: Site, want = kindWords.map): [string, Site][] {
    const n = at.node;
    if (this.kind(at) === 'null') return [];
    if (!n || !yaml().isMap(n)) this.wrongType(at, want);
    return n.items.map((pair) => {
      if (!yaml().isPair(pair)) this.fail(at, 'scenario.type', 'a map (key: value)', 'something else');
      const keyNode = pair.key as Node | null;
      const keyPos = keyNode?.range?.[0] ?? at.pos;
      if (!keyNode || !yaml().isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.fail({ path: at.path, pos: keyPos }, 'scenario.key-type', keyNode && !yaml().isScalar(keyNode) ? 'a map or list' : 'nothing');
      }
      const key = keyNode.source ?? String(keyNode.value);
      const value = (pair.value as Node | null) ?? null;
      // Scalars report their own line; a block map or list is best reported at its key.
      const pos = value && yaml().isScalar(value) && value.range ? value.range[0] : keyPos;
      return [key, { ...this.site(value, childPath(at.path, key), pos), keyPos }] as [string, Site];
    });
  }

  /**
   * A map with a fixed set of fields: unknown fields fail (with the closest known one),
   * required fields must be present.
   */
  fields<K extends string>(at: Site, accepted: readonly K[], required: readonly K[] = []): Partial<Record<K, Site>> {
    const out: Partial<Record<K, Site>> = {};
    for (const [key, value] of this.entries(at)) {
      if (!(accepted as readonly string[]).includes(key)) {
        const keyAt = this.keyOf(value);
        if (accepted.length === 0) this.fail(keyAt, 'scenario.no-fields', key);
        const guess = closest(key, accepted);
        if (guess) this.fail(keyAt, 'scenario.unknown-field-suggest', key, guess);
        this.fail(keyAt, 'scenario.unknown-field', key, accepted.join(', '));
      }
      out[key as K] = value;
    }
    for (const r of required) if (!out[r]) this.fail(at, 'scenario.missing', r);
    return out;
  }

  items(at: Site): Site[] {
    const n = at.node;
    if (this.kind(at) === 'null') return [];
    if (!n || !yaml().isSeq(n)) this.wrongType(at, kindWords.list);
    return n.items.map((item, i) => {
      const node = (item as Node | null) ?? null;
      return this.site(node, `${at.path}[${i}]`, node?.range?.[0] ?? at.pos);
    });
  }

  /** A string value; `long` for free text (node file contents, descriptions), which may be far longer. */
  string(at: Site, { allowEmpty = false, long = false } = {}): string {
    if (this.kind(at) !== 'string') this.wrongType(at, kindWords.string);
    const v = (at.node as { value: string }).value;
    if (!allowEmpty && v === '') this.fail(at, 'scenario.empty-string');
    const max = long ? SCENARIO_LIMITS.textChars : SCENARIO_LIMITS.stringChars;
    if (v.length > max) this.fail(at, 'scenario.string-too-long', v.length, max);
    return v;
  }

  bool(at: Site): boolean {
    if (this.kind(at) !== 'bool') this.wrongType(at, kindWords.bool);
    return (at.node as { value: boolean }).value;
  }

  integer(at: Site, min: number, max?: number): number {
    const v = this.kind(at) === 'number' ? Number((at.node as { value: number }).value) : undefined;
    const shown = v !== undefined ? String(v) : describeKind(this.kind(at));
    if (v === undefined || !Number.isInteger(v) || v < min || (max !== undefined && v > max)) {
      if (max !== undefined) this.fail(at, 'scenario.integer-range', min, max, shown);
      this.fail(at, 'scenario.integer-min', min, shown);
    }
    return v;
  }

  strings(at: Site): string[] {
    return this.items(at).map((item) => this.string(item));
  }

  /** Plain JS value of a subtree (cluster objects, which the renderer validates). */
  toJS(at: Site): unknown {
    const badKey = at.node ? collectionKey(at.node) : undefined;
    if (badKey) this.fail({ path: at.path, pos: (badKey.key as Node).range?.[0] ?? at.pos }, 'scenario.yaml', invalidMapKey(this.doc, badKey), this.lines.linePos((badKey.key as Node).range?.[0] ?? at.pos).col);
    try {
      return at.node ? at.node.toJS(this.doc, { maxAliasCount: SCENARIO_LIMITS.aliases }) : null;
    } catch (e) {
      if (/Excessive alias count/.test((e as Error).message)) this.fail(at, 'scenario.alias-expansion', SCENARIO_LIMITS.aliases);
      throw e;
    }
  }
}
