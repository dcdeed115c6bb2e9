/**
 * One tag of an ImageStream import as openshift-apiserver runs it (importer/importer.go,
 * imagestreamimport/rest.go): blocked registry, insecure access, pull sources from the mirror
 * configuration, a ping and a manifest GET per source with the namespace's credentials, the
 * manifest list handled by import mode, and every failure turned into the tag condition's reason
 * and message. The wire client is the emulated Go HTTP stack; only the importer's wording is here.
 */
import { StackError, text } from '../../errors/index.js';
import { parseGoJson } from '../../config/go-json.js';
import type { KeyringSource } from '../../auth/kubelet-keyring.js';
import type { NodeFS } from '../../node-fs.js';
import { MEDIA_TYPE, isManifestList, manifestBlobs } from '../../pull/manifest.js';
import type { Network } from '../../pull/pull-context.js';
import { dialTarget } from '../../pull/pull-context.js';
import { RegistryClient } from '../../pull/registry-client.js';
import { RegistryResponseError } from '../../pull/registry-errors.js';
import { pullSourcesFromReference } from '../../resolve/pull-sources.js';
import { parseNormalizedNamed, refName, refString, type ImageRef } from '../../reference/reference.js';
import type { AttemptRecord } from '../../run/outcome.js';
import type { Credential } from '../../system-context.js';
import { importKeyring, legacyLookupHost } from './import-credentials.js';
import { registryEntry, registryFor, type ImportConfig } from './import-config.js';

export type ImportMode = 'Legacy' | 'PreserveOriginal';

/** A metav1.Status as the tag condition shows it. */
export interface ImportStatus {
  reason: string;
  message: string;
}

export interface ImportedImage {
  /** The pull spec by digest, as the tag's history records it. */
  dockerImageReference: string;
  digest: string;
  /** PreserveOriginal of a list: each child's os/arch and digest. */
  manifests?: { platform: string; digest: string }[];
  /** The fake registry that served it. */
  from: string | null;
}

export type TagOutcome = { ok: true; image: ImportedImage; attempts: AttemptRecord[] } | { ok: false; status: ImportStatus; attempts: AttemptRecord[] };

export interface ImporterEnv {
  net: Network;
  config: ImportConfig;
  /** The namespace's pull secrets (imagestreams/secrets). */
  secrets: KeyringSource[];
  /** The control plane node: its /var/lib/kubelet/config.json is the node pull secret. */
  controlPlane: NodeFS;
  /** OpenShift ≤ 4.4: per-URL credential lookup from the namespace's secrets only. */
  legacy: boolean;
}

export interface TagRequest {
  from: string;
  insecure: boolean;
  importMode: ImportMode;
}

/** An API status error (its reason survives), or a plain error that becomes InternalError. */
type Failure = { status: ImportStatus } | { plain: string };

function status(f: Failure): ImportStatus {
  return 'status' in f ? f.status : { reason: 'InternalError', message: text('import.internal', f.plain) };
}

function failureText(f: Failure): string {
  return 'status' in f ? f.status.message : f.plain;
}

class Failed extends Error {
  constructor(readonly failure: Failure) {
    super(failureText(failure));
  }
}

function hasCode(e: unknown, code: string): boolean {
  for (let cur = e instanceof StackError ? e : undefined; cur; cur = cur.cause) {
    if (cur instanceof RegistryResponseError && cur.items.some((i) => (i.kind === 'code' || i.kind === 'error') && i.code === code)) return true;
  }
  return false;
}

/** The distribution client's own error: c/i's "pinging …" / "reading manifest … in …" wrappers removed. */
function goError(e: StackError): string {
  return (e.code === 'docker.pinging' || e.code === 'docker.reading-manifest') && e.cause ? e.cause.message : e.message;
}

/** formatPingError (Repository() failed: keyring or ping). */
export function pingFailure(ref: ImageRef, insecure: boolean, e: StackError): Failure {
  const exact = refString(ref);
  const msg = goError(e);
  if (hasCode(e, 'NAME_UNKNOWN')) return { status: { reason: 'NotFound', message: text('import.not-found', exact) } };
  if (hasCode(e, 'UNAUTHORIZED')) return { status: { reason: 'Unauthorized', message: text('import.unauthorized', exact) } };
  if (msg.includes('tls: oversized record received with length') && !insecure) {
    return { status: { reason: 'BadRequest', message: text('import.http-only', ref.path) } };
  }
  if (msg.endsWith('no basic auth credentials')) return { status: { reason: 'Unauthorized', message: text('import.unauthorized-no-credentials', exact) } };
  return { plain: text('import.ref-error', exact, msg) };
}

/** formatRepositoryError (the manifest or config GET failed). */
export function repositoryFailure(ref: ImageRef, e: StackError): Failure {
  const named = refString(ref);
  const msg = goError(e);
  if (hasCode(e, 'MANIFEST_UNKNOWN')) return { status: { reason: 'NotFound', message: text('import.not-found', named) } };
  if (hasCode(e, 'UNAUTHORIZED') && !msg.endsWith('incorrect username or password')) return { status: { reason: 'Unauthorized', message: text('import.unauthorized', named) } };
  if (msg.endsWith('no basic auth credentials')) return { status: { reason: 'Unauthorized', message: text('import.unauthorized', named) } };
  if (msg.endsWith('incorrect username or password')) return { status: { reason: 'Unauthorized', message: text('import.wrong-password', named) } };
  return { plain: text('import.ref-error', named, msg) };
}

/** Runs one step of an import; its StackError becomes the importer's wording of it. */
async function step<T>(run: () => T | Promise<T>, failure: (e: StackError) => Failure): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof StackError) throw new Failed(failure(e));
    throw e;
  }
}

function parseJson(bytes: Uint8Array): Record<string, unknown> {
  try {
    const v = parseGoJson(bytes);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

interface ListEntry {
  digest: string;
  os: string;
  arch: string;
}

function listEntries(bytes: Uint8Array): ListEntry[] {
  const manifests = parseJson(bytes).manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.map((m: { digest?: string; platform?: { os?: string; architecture?: string } }) => ({ digest: m.digest ?? '', os: m.platform?.os ?? '', arch: m.platform?.architecture ?? '' }));
}

/** manifestFromManifestList: the control plane's platform (linux/amd64), else linux/amd64, else the first. */
function legacyChild(entries: ListEntry[]): ListEntry {
  return entries.find((e) => e.os === 'linux' && e.arch === 'amd64') ?? entries[0]!;
}

async function fetchFrom(env: ImporterEnv, source: ImageRef, insecure: boolean, mode: ImportMode, useSecrets: boolean, attempts: AttemptRecord[]): Promise<ImportedImage> {
  const handleAt = (scheme: 'https' | 'http') => {
    const t = dialTarget(source.domain, scheme);
    return env.net.registryAt(t.host, t.port);
  };
  const attempt: AttemptRecord = { source: refString(source), registry: handleAt('https') ?? (insecure ? handleAt('http') : null), result: 'failed', credential: null };
  attempts.push(attempt);
  const client = (credential?: Credential) =>
    new RegistryClient({
      dialer: env.net.dialer,
      registry: source.domain,
      tls: { insecureSkipVerify: insecure, cas: env.config.trustedCas, clientCerts: [] },
      ...(credential && { credential: { username: credential.username, password: credential.password } }),
      goTlsVerifyPrefix: true,
    });
  try {
    // Repository(): the keyring first (a malformed secret fails here), then the ping.
    const keyring = useSecrets ? await step(() => importKeyring(env.secrets, env.legacy ? undefined : env.controlPlane), (e) => pingFailure(source, insecure, e)) : undefined;
    const probe = client();
    await step(() => probe.ping(), (e) => pingFailure(source, insecure, e));
    attempt.registry = handleAt(probe.scheme);
    const host = env.legacy ? legacyLookupHost(source.domain, probe.scheme) : source.domain;
    const credential = keyring?.lookup(`${host}/${source.path}`);
    if (credential) attempt.credential = credential.source;
    const c = credential ? client(credential) : probe;
    const asRepositoryError = (e: StackError) => repositoryFailure(source, e);
    const fetched = await step(() => c.getManifest(source.path, source.digest ?? source.tag ?? 'latest', refName(source)), asRepositoryError);
    let digest = fetched.digest;
    let bytes = fetched.bytes;
    let manifests: ImportedImage['manifests'];
    if (isManifestList(fetched.mediaType)) {
      const entries = listEntries(bytes);
      if (entries.length === 0) throw new Failed({ plain: text('import.ref-error', refString(source), text('import.no-manifests')) });
      if (mode === 'PreserveOriginal') manifests = entries.map((e) => ({ platform: `${e.os}/${e.arch}`, digest: e.digest }));
      else {
        const m = await step(() => c.getManifest(source.path, legacyChild(entries).digest, refName(source)), asRepositoryError);
        digest = m.digest;
        bytes = m.bytes;
      }
    }
    // schema2/OCI images need their config blob (the image metadata); a list kept whole does not.
    const config = manifests ? undefined : manifestBlobs(bytes)[0];
    if (config !== undefined && fetched.mediaType !== MEDIA_TYPE.schema1Signed) await step(() => c.getBlob(source.path, config), asRepositoryError);
    attempt.result = 'pulled';
    return { dockerImageReference: `${refName(source)}@${digest}`, digest, ...(manifests && { manifests }), from: attempt.registry };
  } catch (e) {
    if (e instanceof Failed) attempt.error = e.message;
    throw e;
  }
}

/** getManifest: each pull source in order; one error is kept as is, several are aggregated. */
async function importOnce(env: ImporterEnv, ref: ImageRef, insecure: boolean, mode: ImportMode, useSecrets: boolean, attempts: AttemptRecord[]): Promise<TagOutcome> {
  const registry = registryFor(env.config, refName(ref));
  const sources = registry ? pullSourcesFromReference(registry, ref).map((s) => s.ref) : [ref];
  const errors: Failure[] = [];
  for (const source of sources) {
    try {
      const image = await fetchFrom(env, source, insecure, mode, useSecrets, attempts);
      return { ok: true, image, attempts };
    } catch (e) {
      if (!(e instanceof Failed)) throw e;
      errors.push(e.failure);
    }
  }
  if (errors.length === 1) return { ok: false, status: status(errors[0]!), attempts };
  return { ok: false, status: status({ plain: text('import.aggregate', errors.map(failureText).join(', ')) }), attempts };
}

/** importImages for one spec image, with REST.Create's anonymous retry after "username or password". */
export async function importTag(env: ImporterEnv, req: TagRequest): Promise<TagOutcome> {
  let ref: ImageRef;
  try {
    ref = parseNormalizedNamed(req.from);
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { ok: false, status: { reason: 'InternalError', message: text('import.internal', e.message) }, attempts: [] };
  }
  const entry = registryEntry(env.config, ref.domain);
  if (entry?.blocked) return { ok: false, status: { reason: 'Forbidden', message: text('import.blocked', ref.domain) }, attempts: [] };
  const insecure = req.insecure || (entry?.insecure ?? false);
  const attempts: AttemptRecord[] = [];
  const first = await importOnce(env, ref, insecure, req.importMode, true, attempts);
  if (first.ok || first.status.reason !== 'Unauthorized' || !/username or password/i.test(first.status.message)) return first;
  const retry = await importOnce(env, ref, insecure, req.importMode, false, attempts);
  // "set old messages so not to confuse users": an anonymous Unauthorized keeps the first answer.
  return retry.ok || retry.status.reason !== 'Unauthorized' ? retry : { ...first, attempts };
}
