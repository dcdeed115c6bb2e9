// TEMPORARY: replaced by the Go-exact BurntSushi-compatible parser (see issue 3). Interface is stable.
import TOML from '@iarna/toml';
import { RegistriesConfError, text } from '../errors/index.js';

export type TomlValue = string | number | boolean | Date | TomlValue[] | TomlTable;
export interface TomlTable { [key: string]: TomlValue }

/** Parses TOML; a syntax error throws RegistriesConfError 'toml.parse' worded like BurntSushi/toml. */
export function parseToml(src: string): TomlTable {
  try {
    return TOML.parse(src) as unknown as TomlTable;
  } catch (e) {
    const err = e as { line?: number; message: string };
    throw new RegistriesConfError('toml.parse', text('toml.parse', (err.line ?? 0) + 1, '', err.message));
  }
}
