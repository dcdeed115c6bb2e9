/**
 * Which credentials containers/image sends to a registry (pkg/docker/config
 * getCredentialsWithHomeDir, findCredentialsInFile), keyed by the physical reference's name.
 * Descriptions name the user, file and key, never the password or the base64 value.
 */
import * as path from 'node:path';
import { AuthError, fail, StackError, wrap } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import type { Credential, SystemContext } from '../system-context.js';
import { readAuthFile, type AuthEntry, type SharedAuthFile } from './auth-file.js';
import { Base64Error, goBase64Decode } from './go-base64.js';

export interface AuthFilePath {
  path: string;
  legacyFormat: boolean;
}

export interface CredentialLookup {
  credential?: Credential;
  /** The full text c/i returns: "getting username and password: 1 error occurred: …". */
  error?: AuthError;
  /** What was tried, in order, for traces and `pullsim explain`. */
  trace: string[];
}

/**
 * getAuthFilePaths. containers/image 5.23.1 (skopeo 1.9.3, podman 4.3.1) still searches the
 * per-user files after an explicit --authfile; from 5.24 on (the CRI-O modelled here) an
 * explicit path is the only file.
 */
export function authFilePaths(fs: NodeFS, sys: SystemContext, trace: string[] = []): AuthFilePath[] {
  const out: AuthFilePath[] = [];
  if (sys.authFilePath) {
    out.push({ path: sys.authFilePath, legacyFormat: false });
    if (sys.runtime === 'crio') return out;
  } else if (sys.xdgRuntimeDir) {
    if (fs.exists(sys.xdgRuntimeDir)) out.push({ path: path.posix.join(sys.xdgRuntimeDir, 'containers/auth.json'), legacyFormat: false });
    else trace.push(`warning: "${sys.xdgRuntimeDir}" directory set by $XDG_RUNTIME_DIR does not exist; skipped`);
  } else {
    out.push({ path: `/run/containers/${sys.uid}/auth.json`, legacyFormat: false });
  }
  out.push(
    { path: path.posix.join(sys.home, '.config/containers/auth.json'), legacyFormat: false },
    { path: path.posix.join(sys.home, '.docker/config.json'), legacyFormat: false },
    { path: path.posix.join(sys.home, '.dockercfg'), legacyFormat: true },
  );
  return out;
}

/** podman checks an explicit --authfile (or REGISTRY_AUTH_FILE) with stat before pulling; skopeo does not. */
export function checkAuthFileExists(fs: NodeFS, authFile: string): AuthError | undefined {
  return fs.exists(authFile) ? undefined : fail(AuthError, 'auth.stat', authFile);
}

/** authKeysForKey: host/ns/repo, host/ns, host. */
export function authKeysForKey(key: string): string[] {
  const out: string[] = [];
  for (let k = key; ; ) {
    out.push(k);
    const slash = k.lastIndexOf('/');
    if (slash === -1) return out;
    k = k.slice(0, slash);
  }
}

/** normalizeRegistry: Docker Hub's names all mean index.docker.io. */
export function normalizeRegistry(registry: string): string {
  return registry === 'registry-1.docker.io' || registry === 'docker.io' ? 'index.docker.io' : registry;
}

/** normalizeAuthFileKey: a URL-form key (or any legacy key) reduced to its host. */
export function normalizeAuthFileKey(key: string, legacyFormat: boolean): string {
  let stripped = key.startsWith('http://') ? key.slice(7) : key;
  stripped = stripped.startsWith('https://') ? stripped.slice(8) : stripped;
  if (legacyFormat || stripped !== key) stripped = stripped.split('/', 1)[0];
  return normalizeRegistry(stripped);
}

type FileResult = { credential: Credential } | { none: true } | { error: StackError };

/** decodeDockerAuth: base64 errors fail; a value without ':' (or empty) counts as no credentials. */
function decodeEntry(file: string, key: string, entry: AuthEntry, trace: string[]): FileResult {
  let decoded: string;
  try {
    decoded = Buffer.from(goBase64Decode(entry.auth)).toString('utf8');
  } catch (e) {
    if (e instanceof Base64Error) return { error: new AuthError('auth.base64-illegal', e.message) };
    throw e;
  }
  const colon = decoded.indexOf(':');
  if (colon === -1) {
    trace.push(
      decoded.length > 0
        ? `warning: Error parsing the "auth" field of a credential entry "${key}" in "${file}", missing semicolon`
        : `Found an empty credential entry "${key}" in "${file}" (an unhandled credential helper marker?), moving on`,
    );
    return { none: true };
  }
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '');
  return { credential: { username, password, source: `user ${username} from ${file} key ${key}` } };
}

interface FileLookup {
  result: FileResult;
  trace: string[];
}

/**
 * Lookups already made in each parsed file (they depend only on the file, its path and the key),
 * so resolving the same image again costs two map reads instead of key walks and base64 decoding.
 */
const lookupsByFile = new WeakMap<SharedAuthFile, Map<string, FileLookup>>();

function findCredentialsInFile(fs: NodeFS, key: string, registry: string, file: AuthFilePath, trace: string[]): FileResult {
  let auths: SharedAuthFile;
  try {
    auths = readAuthFile(fs, file.path, file.legacyFormat);
  } catch (e) {
    if (e instanceof AuthError) return { error: wrap(AuthError, 'auth.reading-json', e, file.path) };
    throw e;
  }
  // Nothing to walk in an absent or empty file: keeping its answers would only churn the map.
  if (auths.auths.size === 0 && auths.credHelpers.size === 0) return lookupInFile(auths, key, registry, file, trace);
  let lookups = lookupsByFile.get(auths);
  if (!lookups) lookupsByFile.set(auths, (lookups = new Map()));
  const id = `${file.path}\0${registry}\0${key}`;
  let hit = lookups.get(id);
  if (!hit) {
    // Bounded: compare looks up 100,000 distinct repositories, and memory must not grow with them.
    if (lookups.size >= 10_000) lookups.clear();
    const fileTrace: string[] = [];
    hit = { result: lookupInFile(auths, key, registry, file, fileTrace), trace: fileTrace };
    lookups.set(id, hit);
  }
  trace.push(...hit.trace);
  return hit.result;
}

function lookupInFile(auths: SharedAuthFile, key: string, registry: string, file: AuthFilePath, trace: string[]): FileResult {
  const helper = auths.credHelpers.get(registry);
  if (helper !== undefined) {
    // The helper binary would be executed; an emulated node has none installed.
    trace.push(`Looking up in credential helper ${helper} based on credHelpers entry in ${file.path}`);
    return { error: fail(AuthError, 'auth.credhelper-missing', helper) };
  }
  const keys = file.legacyFormat ? [registry] : authKeysForKey(key);
  for (const k of keys) {
    const entry = auths.auths.get(k);
    if (entry) return decodeEntry(file.path, k, entry, trace);
  }
  const normalized = normalizeRegistry(registry);
  for (const [k, entry] of auths.auths) {
    if (normalizeAuthFileKey(k, file.legacyFormat) === normalized) return decodeEntry(file.path, k, entry, trace);
  }
  trace.push(`No credentials matching ${key} found in ${file.path}`);
  return { none: true };
}

/**
 * GetCredentialsForRef for `registryHost/repoPath` (the physical reference's name): the
 * SystemContext credential wins outright; otherwise the auth files in order, the first file
 * with credentials wins, and the first error ends the search.
 */
export function lookupCredentials(fs: NodeFS, sys: SystemContext, registryHost: string, repoPath: string): CredentialLookup {
  const key = repoPath ? `${registryHost}/${repoPath}` : registryHost;
  const trace: string[] = [];
  if (sys.dockerAuthConfig) {
    trace.push(`Returning credentials for ${key} from DockerAuthConfig`);
    return { credential: sys.dockerAuthConfig, trace };
  }
  for (const file of authFilePaths(fs, sys, trace)) {
    const r = findCredentialsInFile(fs, key, registryHost, file, trace);
    if ('error' in r) {
      const multi = wrap(AuthError, 'auth.multi', r.error);
      return { error: wrap(AuthError, 'auth.getting-credentials', multi), trace };
    }
    if ('credential' in r) {
      trace.push(`Found credentials for ${key} in credential helper containers-auth.json in file ${file.path}`);
      return { credential: { ...r.credential }, trace };
    }
  }
  trace.push(`No credentials for ${key} found`);
  return { trace };
}

/**
 * newImageSourceAttempt: a credential from the SystemContext (kubelet pull secret, --creds) is
 * dropped for a pull source on another domain than the logical reference's.
 */
export function credentialForMirror(logicalDomain: string, sourceDomain: string, cred: Credential | undefined): Credential | undefined {
  return sourceDomain === logicalDomain ? cred : undefined;
}

/** The SystemContext a pull source sees, after the mirror rule above. */
export function systemContextForSource(sys: SystemContext, logicalDomain: string, sourceDomain: string): SystemContext {
  if (!sys.dockerAuthConfig || sourceDomain === logicalDomain) return sys;
  const { dockerAuthConfig: _dropped, ...rest } = sys;
  return rest;
}

/** The auth a kubelet CRI call carries (runtimeapi.AuthConfig); tokens are ignored by CRI-O. */
export interface CriAuthConfig {
  username?: string;
  password?: string;
  auth?: string;
}

/**
 * CRI-O PullImage: a non-empty `auth` is decoded (no ':' → empty credentials) and replaces
 * username/password; the credential is used only when the username is non-empty. A bad
 * base64 `auth` fails the CRI call with Go's base64 text.
 */
export function crioCredential(auth: CriAuthConfig | undefined, source: string): { credential?: Credential; error?: AuthError } {
  if (!auth) return {};
  let username = auth.username ?? '';
  let password = auth.password ?? '';
  if (auth.auth) {
    try {
      const decoded = Buffer.from(goBase64Decode(auth.auth)).toString('utf8');
      const colon = decoded.indexOf(':');
      [username, password] = colon === -1 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '')];
    } catch (e) {
      if (e instanceof Base64Error) return { error: new AuthError('auth.base64-illegal', e.message) };
      throw e;
    }
  }
  if (username === '') return {};
  return { credential: { username, password, source } };
}
