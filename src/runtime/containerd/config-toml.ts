/**
 * /etc/containerd/config.toml, the CRI plugin's registry section as the release reads it
 * (pkg/cri/config config.go; 2.x internal/cri/config): `config_path` (a ':'-separated list of
 * hosts roots), and the deprecated `mirrors`, `configs` (tls, auth) and `auths`, with
 * ValidatePluginConfig's errors (the CRI plugin then does not load) and deprecation warnings.
 */
import { isTable, parseTomlDocument, type TomlTable, type TomlValue } from '../../config/toml.js';
import { RegistriesConfError, text } from '../../errors/index.js';
import type { NodeFS } from '../../node-fs.js';
import { logLine } from './hosts-dir.js';
import type { ContainerdProfile } from './profiles.js';

export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';

export interface LegacyTls {
  insecureSkipVerify: boolean;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** CRI AuthConfig fields as config.toml spells them. */
export interface LegacyAuth {
  username: string;
  password: string;
  auth: string;
  identityToken: string;
}

export interface CriRegistryConfig {
  /** Whether /etc/containerd/config.toml exists. */
  file: boolean;
  /** The TOML section the registry settings were read from. */
  section: string;
  configPath: string;
  /** From config.toml, or the release's default. */
  configPathFrom: 'config.toml' | 'default';
  mirrors: Map<string, string[]>;
  configs: Map<string, { tls?: LegacyTls; auth?: LegacyAuth }>;
  /** Warnings the CRI plugin logs at start. */
  log: string[];
  /** ValidatePluginConfig's error: the CRI plugin does not load. */
  invalid?: string;
  /** The file does not parse: containerd does not start. */
  loadError?: string;
}

function str(v: TomlValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function table(v: TomlValue | undefined): TomlTable {
  return isTable(v) ? v : {};
}

function registrySection(root: TomlTable): { section: string; registry: TomlTable } {
  const version = typeof root.version === 'number' ? root.version : 1;
  const plugins = table(root.plugins);
  if (version >= 3) return { section: 'plugins."io.containerd.cri.v1.images".registry', registry: table(table(plugins['io.containerd.cri.v1.images']).registry) };
  if (version === 2) return { section: 'plugins."io.containerd.grpc.v1.cri".registry', registry: table(table(plugins['io.containerd.grpc.v1.cri']).registry) };
  // Version 1 (no `version` line): 1.x reads plugins.cri; 2.x migrates it the same way.
  return { section: 'plugins.cri.registry', registry: table(table(plugins.cri).registry) };
}

function legacyAuth(t: TomlTable): LegacyAuth {
  return { username: str(t.username), password: str(t.password), auth: str(t.auth), identityToken: str(t.identitytoken) };
}

export function loadCriRegistryConfig(fs: NodeFS, profile: ContainerdProfile): CriRegistryConfig {
  const src = fs.read(CONTAINERD_CONFIG);
  const out: CriRegistryConfig = {
    file: src !== undefined,
    section: '',
    configPath: profile.defaultConfigPath,
    configPathFrom: 'default',
    mirrors: new Map(),
    configs: new Map(),
    log: [],
  };
  if (src === undefined) return out;
  let root: TomlTable;
  try {
    root = parseTomlDocument(src).table;
  } catch (e) {
    if (!(e instanceof RegistriesConfError)) throw e;
    out.loadError = text('containerd.config-toml', CONTAINERD_CONFIG, e.message);
    return out;
  }
  const { section, registry } = registrySection(root);
  out.section = section;
  if (typeof registry.config_path === 'string') {
    out.configPath = registry.config_path;
    out.configPathFrom = 'config.toml';
  }
  for (const [host, m] of Object.entries(table(registry.mirrors))) {
    const endpoints = table(m).endpoint;
    out.mirrors.set(host, Array.isArray(endpoints) ? endpoints.filter((e): e is string => typeof e === 'string') : []);
  }
  for (const [host, c] of Object.entries(table(registry.configs))) {
    const t = table(c);
    const entry: { tls?: LegacyTls; auth?: LegacyAuth } = {};
    if (isTable(t.tls)) {
      entry.tls = { insecureSkipVerify: t.tls.insecure_skip_verify === true, caFile: str(t.tls.ca_file), certFile: str(t.tls.cert_file), keyFile: str(t.tls.key_file) };
    }
    if (isTable(t.auth)) entry.auth = legacyAuth(t.auth);
    out.configs.set(host, entry);
  }
  validate(out, table(registry.auths), profile);
  return out;
}

/** ValidatePluginConfig (1.x) / ValidateImageConfig (2.x), in their order. */
function validate(c: CriRegistryConfig, auths: TomlTable, profile: ContainerdProfile): void {
  const warn = (code: Parameters<typeof text>[0]) => c.log.push(logLine('warning', text(code)));
  const v2 = profile.minor.startsWith('2');
  if (v2 && c.mirrors.size > 0) {
    if (c.configPath !== '') return void (c.invalid = text('containerd.mirrors-with-config-path'));
    warn('containerd.mirrors-deprecated');
  }
  if (v2 && c.configs.size > 0) warn('containerd.configs-deprecated');
  if (Object.keys(auths).length > 0) {
    for (const [endpoint, a] of Object.entries(auths)) {
      const host = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(endpoint) ? endpoint.replace(/^[^:]+:\/\//, '').replace(/\/.*$/, '') : endpoint;
      const entry = c.configs.get(host) ?? {};
      entry.auth = legacyAuth(table(a));
      c.configs.set(host, entry);
    }
    warn('containerd.auths-deprecated');
  }
  if (v2) return;
  if (c.mirrors.size > 0) {
    if (c.configPath !== '') return void (c.invalid = text('containerd.mirrors-with-config-path'));
    warn('containerd.mirrors-deprecated');
  }
  if ([...c.configs.values()].some((x) => x.tls)) {
    if (c.configPath !== '') return void (c.invalid = text('containerd.configs-tls-with-config-path'));
    warn('containerd.configs-tls-deprecated');
  }
}
