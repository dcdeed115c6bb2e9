/**
 * Decodes a parsed registries.conf TOML table into the shape containers/image unmarshals it into
 * (sysregistriesv2's tomlConfig: V2RegistriesConf and V1RegistriesConf side by side), with the
 * type errors BurntSushi/toml 1.2 reports: key names match exactly, else case-insensitively;
 * unknown keys are ignored; an absent list stays absent (Go's nil), which the drop-in merge relies on.
 */
import { RegistriesConfError, text } from '../errors/index.js';
import type { TomlTable, TomlValue } from './toml.js';

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

/** 1-based line of each dotted key path, when the TOML parser can tell (BurntSushi's keyInfo). */
export type KeyLines = ReadonlyMap<string, number>;

type Schema =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'strings' }
  | { kind: 'stringMap' }
  | { kind: 'struct'; goType: string; fields: Record<string, [string, Schema]> }
  | { kind: 'structs'; elem: Extract<Schema, { kind: 'struct' }> };

const str: Schema = { kind: 'string' };
const bool: Schema = { kind: 'bool' };
const strings: Schema = { kind: 'strings' };

const endpointFields: Record<string, [string, Schema]> = {
  location: ['location', str],
  insecure: ['insecure', bool],
  'pull-from-mirror': ['pullFromMirror', str],
};
const mirrorSchema: Extract<Schema, { kind: 'struct' }> = { kind: 'struct', goType: 'sysregistriesv2.Endpoint', fields: endpointFields };
const registrySchema: Extract<Schema, { kind: 'struct' }> = {
  kind: 'struct',
  goType: 'sysregistriesv2.Registry',
  fields: {
    prefix: ['prefix', str],
    ...endpointFields,
    mirror: ['mirrors', { kind: 'structs', elem: mirrorSchema }],
    blocked: ['blocked', bool],
    'mirror-by-digest-only': ['mirrorByDigestOnly', bool],
  },
};
const v1ListSchema = (): Extract<Schema, { kind: 'struct' }> => ({
  kind: 'struct',
  goType: 'sysregistriesv2.V1TOMLregistries',
  fields: { registries: ['list', strings] },
});
const fileSchema: Extract<Schema, { kind: 'struct' }> = {
  kind: 'struct',
  goType: 'sysregistriesv2.tomlConfig',
  fields: {
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
        fields: { search: ['search', v1ListSchema()], insecure: ['insecure', v1ListSchema()], block: ['block', v1ListSchema()] },
      },
    ],
  },
};

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** BurntSushi's Key.String(): dotted, with parts that are not bare keys quoted. */
function keyString(path: readonly string[]): string {
  return path.map((p) => (BARE_KEY.test(p) ? p : JSON.stringify(p))).join('.');
}

function isTable(v: TomlValue): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Go's %T of the value BurntSushi decoded. */
function goTypeOf(v: TomlValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'bigint') return 'int64';
  if (v instanceof Date) return 'time.Time';
  if (Array.isArray(v)) return v.length > 0 && v.every(isTable) ? '[]map[string]interface {}' : '[]interface {}';
  return 'map[string]interface {}';
}

class Decoder {
  private readonly path: string[] = [];
  constructor(private readonly keyLines?: KeyLines) {}

  private fail(detail: string): RegistriesConfError {
    const key = keyString(this.path);
    const line = this.keyLines?.get(key);
    return line !== undefined && line > 0
      ? new RegistriesConfError('conf.toml-decode-at', text('conf.toml-decode-at', line, key, detail))
      : new RegistriesConfError('conf.toml-decode', text('conf.toml-decode', key, detail));
  }

  private badType(v: TomlValue, dst: string): RegistriesConfError {
    return this.fail(text('conf.toml-incompatible', goTypeOf(v), dst));
  }

  decode(v: TomlValue, schema: Schema): unknown {
    switch (schema.kind) {
      case 'string':
        if (typeof v !== 'string') throw this.badType(v, 'string');
        return v;
      case 'bool':
        if (typeof v !== 'boolean') throw this.badType(v, 'boolean');
        return v;
      case 'strings':
        if (!Array.isArray(v)) throw this.badType(v, 'slice');
        return v.map((e) => this.decode(e, str));
      case 'stringMap': {
        if (!isTable(v)) throw this.badType(v, 'map');
        const out: [string, string][] = [];
        for (const [k, e] of Object.entries(v)) {
          this.path.push(k);
          out.push([k, this.decode(e, str) as string]);
          this.path.pop();
        }
        return out;
      }
      case 'structs':
        if (!Array.isArray(v)) throw this.badType(v, 'slice');
        return v.map((e) => this.decode(e, schema.elem));
      case 'struct': {
        if (!isTable(v)) throw this.fail(text('conf.toml-not-table', schema.goType, goTypeOf(v)));
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) {
          const field = schema.fields[k] ?? caseInsensitiveField(schema.fields, k);
          if (!field) continue;
          this.path.push(k);
          out[field[0]] = this.decode(e, field[1]);
          this.path.pop();
        }
        return out;
      }
    }
  }
}

function caseInsensitiveField(fields: Record<string, [string, Schema]>, key: string): [string, Schema] | undefined {
  const lower = key.toLowerCase();
  for (const [name, f] of Object.entries(fields)) if (name.toLowerCase() === lower) return f;
  return undefined;
}

/** Decodes one registries.conf (or short-name-aliases.conf) document; throws BurntSushi's decode errors. */
export function decodeRegistriesConf(table: TomlTable, keyLines?: KeyLines): RawConfFile {
  const { v1, ...rest } = new Decoder(keyLines).decode(table, fileSchema) as Omit<RawConfFile, 'v1'> & { v1?: Record<string, { list?: string[] } | undefined> };
  return v1 ? { ...rest, v1: { search: v1.search?.list, insecure: v1.insecure?.list, block: v1.block?.list } } : rest;
}
