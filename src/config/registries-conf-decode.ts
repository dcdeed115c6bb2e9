/**
 * Decodes a parsed registries.conf TOML table into the shape containers/image unmarshals it into
 * (sysregistriesv2's tomlConfig: V2RegistriesConf and V1RegistriesConf side by side), with the
 * type errors BurntSushi/toml 1.2 reports: key names match exactly, else case-insensitively;
 * unknown keys are ignored; an absent list stays absent (Go's nil), which the drop-in merge relies on.
 */
import { RegistriesConfError } from '../errors/index.js';
import { isTable, tomlDecodeExpectedTableError, tomlDecodeTypeError, tomlKey, type TomlDocument, type TomlTable, type TomlType, type TomlValue } from './toml.js';

export interface RawEndpoint {
  location?: string;
  insecure?: boolean;
  pullFromMirror?: string;
}

export interface RawRegistry extends RawEndpoint {
  prefix?: string;
  mirrors?: RawEndpoint[];
  blocked?: boolean;
  mirrorByDigestOnly?: boolean;
}

export interface RawConfFile {
  registries?: RawRegistry[];
  unqualifiedSearchRegistries?: string[];
  credentialHelpers?: string[];
  shortNameMode?: string;
  /** [aliases] in document order. */
  aliases?: [string, string][];
  v1?: { search?: string[]; insecure?: string[]; block?: string[] };
}

type Schema =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'strings' }
  | { kind: 'stringMap' }
  | { kind: 'struct'; goType: string; fields: ReadonlyMap<string, [string, Schema]> }
  | { kind: 'structs'; elem: Extract<Schema, { kind: 'struct' }> };

const str: Schema = { kind: 'string' };
const bool: Schema = { kind: 'bool' };
const strings: Schema = { kind: 'strings' };

// Field tables are Maps: a TOML key such as `constructor` or `__proto__` must not find Object's own members.
const fields = (entries: Record<string, [string, Schema]>): ReadonlyMap<string, [string, Schema]> => new Map(Object.entries(entries));
const endpointFields: Record<string, [string, Schema]> = {
  location: ['location', str],
  insecure: ['insecure', bool],
  'pull-from-mirror': ['pullFromMirror', str],
};
const mirrorSchema: Extract<Schema, { kind: 'struct' }> = { kind: 'struct', goType: 'sysregistriesv2.Endpoint', fields: fields(endpointFields) };
const registrySchema: Extract<Schema, { kind: 'struct' }> = {
  kind: 'struct',
  goType: 'sysregistriesv2.Registry',
  fields: fields({
    prefix: ['prefix', str],
    ...endpointFields,
    mirror: ['mirrors', { kind: 'structs', elem: mirrorSchema }],
    blocked: ['blocked', bool],
    'mirror-by-digest-only': ['mirrorByDigestOnly', bool],
  }),
};
const v1ListSchema = (): Extract<Schema, { kind: 'struct' }> => ({
  kind: 'struct',
  goType: 'sysregistriesv2.V1TOMLregistries',
  fields: fields({ registries: ['list', strings] }),
});
const fileSchema: Extract<Schema, { kind: 'struct' }> = {
  kind: 'struct',
  goType: 'sysregistriesv2.tomlConfig',
  fields: fields({
    registry: ['registries', { kind: 'structs', elem: registrySchema }],
    'unqualified-search-registries': ['unqualifiedSearchRegistries', strings],
    'credential-helpers': ['credentialHelpers', strings],
    'short-name-mode': ['shortNameMode', str],
    aliases: ['aliases', { kind: 'stringMap' }],
    registries: [
      'v1',
      {
        kind: 'struct',
        goType: 'sysregistriesv2.V1TOMLConfig',
        fields: fields({ search: ['search', v1ListSchema()], insecure: ['insecure', v1ListSchema()], block: ['block', v1ListSchema()] }),
      },
    ],
  }),
};

/**
 * Walks the table along the schema. The key path and declared TOML types serve only error
 * texts, so they are looked up (as strings) when a value does not fit, never on the way.
 */
class Decoder {
  private readonly path: string[] = [];
  constructor(private readonly doc: TomlDocument) {}

  /**
   * The TOML type of a value, which Go prints as the %T of what BurntSushi parsed. The value
   * itself settles it except for integral numbers: the declared type (keyTypes, the last
   * definition of the path, or elementTypes for an array element) tells `1.0` from `1` there.
   * An array is `[[x]]`'s []map[string]interface {} exactly when the parser recorded no element
   * types for it.
   */
  private typeOf(v: TomlValue, declared: TomlType | undefined): TomlType {
    if (typeof v === 'string') return 'String';
    if (typeof v === 'boolean') return 'Bool';
    if (typeof v === 'number') return !Number.isInteger(v) || declared === 'Float' ? 'Float' : 'Integer';
    if (v instanceof Date) return 'Datetime';
    if (Array.isArray(v)) return this.doc.elementTypes.has(v) ? 'Array' : 'ArrayHash';
    return 'Hash';
  }

  /** The declared type of the value being decoded: element `index` of `array` when it is one, else the value at the current path. */
  private declared(array: TomlValue[] | undefined, index: number): TomlType | undefined {
    return array ? this.doc.elementTypes.get(array)?.[index] : this.doc.keyTypes.get(tomlKey(this.path));
  }

  private badType(v: TomlValue, array: TomlValue[] | undefined, index: number, goKind: string): RegistriesConfError {
    const key = tomlKey(this.path);
    return new RegistriesConfError('toml.decode', tomlDecodeTypeError(key, this.doc.keyLines.get(key), this.typeOf(v, this.declared(array, index)), goKind));
  }

  private field(table: TomlTable, k: string, schema: Schema): unknown {
    this.path.push(k);
    const out = this.decode(table[k]!, schema, undefined, 0);
    this.path.pop();
    return out;
  }

  private elements(v: TomlValue[], schema: Schema): unknown[] {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.decode(v[i]!, schema, v, i);
    return out;
  }

  /** array, index: where v sits when it is an array element (for its declared type in an error). */
  decode(v: TomlValue, schema: Schema, array: TomlValue[] | undefined, index: number): unknown {
    switch (schema.kind) {
      case 'string':
        if (typeof v !== 'string') throw this.badType(v, array, index, 'string');
        return v;
      case 'bool':
        if (typeof v !== 'boolean') throw this.badType(v, array, index, 'boolean');
        return v;
      case 'strings':
        if (!Array.isArray(v)) throw this.badType(v, array, index, 'slice');
        return this.elements(v, str);
      case 'stringMap': {
        if (!isTable(v)) throw this.badType(v, array, index, 'map');
        const out: [string, unknown][] = [];
        for (const k of Object.keys(v)) out.push([k, this.field(v, k, str)]);
        return out;
      }
      case 'structs':
        if (!Array.isArray(v)) throw this.badType(v, array, index, 'slice');
        return this.elements(v, schema.elem);
      case 'struct': {
        if (!isTable(v)) {
          const key = tomlKey(this.path);
          const message = tomlDecodeExpectedTableError(key, this.doc.keyLines.get(key), schema.goType, this.typeOf(v, this.declared(array, index)));
          throw new RegistriesConfError('toml.decode', message);
        }
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
          const field = schema.fields.get(k) ?? caseInsensitiveField(schema.fields, k);
          if (field) out[field[0]] = this.field(v, k, field[1]);
        }
        return out;
      }
    }
  }
}

function caseInsensitiveField(fields: ReadonlyMap<string, [string, Schema]>, key: string): [string, Schema] | undefined {
  const lower = key.toLowerCase();
  for (const [name, f] of fields) if (name.toLowerCase() === lower) return f;
  return undefined;
}

/** Decodes one registries.conf (or short-name-aliases.conf) document; throws BurntSushi's decode errors, with their lines. */
export function decodeRegistriesConf(doc: TomlDocument): RawConfFile {
  const { v1, ...rest } = new Decoder(doc).decode(doc.table, fileSchema, undefined, 0) as Omit<RawConfFile, 'v1'> & { v1?: Record<string, { list?: string[] } | undefined> };
  return v1 ? { ...rest, v1: { search: v1.search?.list, insecure: v1.insecure?.list, block: v1.block?.list } } : rest;
}
