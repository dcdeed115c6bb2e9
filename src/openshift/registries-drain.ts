/**
 * Whether the machine-config daemon may skip the drain for a registries.conf change
 * (machine-config-operator pkg/daemon/drain.go isSafeContainerRegistryConfChanges).
 *
 * The daemon decodes both files into sysregistriesv2.V2RegistriesConf as they are (no drop-ins, no
 * post-processing), keys [[registry]] tables by prefix or else location, and calls a change safe only
 * when it adds digest-only mirrors: nothing removed, reordered or loosened. Releases before 4.13 judge by
 * the registry's mirror-by-digest-only; from 4.13 by each mirror's pull-from-mirror. Go walks its maps in
 * random order, so when several changes are unsafe the daemon logs any one of them; pullsim names the
 * first in file order.
 */
import { decodeRegistriesConf, type RawEndpoint, type RawRegistry } from '../config/registries-conf-decode.js';
import { parseTomlDocument } from '../config/toml.js';
import { ClusterObjectError, StackError, text } from '../errors/index.js';

export const REGISTRIES_CONF_PATH = '/etc/containers/registries.conf';

export interface DrainVerdict {
  safe: boolean;
  /** The daemon's log line that decided it. */
  reason: string;
}

interface Decoded {
  search: string[];
  registries: Map<string, RawRegistry>;
}

function decode(content: string): Decoded {
  let raw;
  try {
    raw = decodeRegistriesConf(parseTomlDocument(content));
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    throw new ClusterObjectError('mcd.registries-decode', text('mcd.registries-decode', REGISTRIES_CONF_PATH, e.message), e);
  }
  const registries = new Map<string, RawRegistry>();
  for (const r of raw.registries ?? []) registries.set(r.prefix ? r.prefix : (r.location ?? ''), r);
  return { search: raw.unqualifiedSearchRegistries ?? [], registries };
}

/** reflect.DeepEqual on sysregistriesv2.Registry: absent and zero values are the same in Go. */
function sameRegistry(a: RawRegistry, b: RawRegistry): boolean {
  const endpoint = (e: RawEndpoint) => [e.location ?? '', e.insecure ?? false, e.pullFromMirror ?? ''];
  const shape = (r: RawRegistry) => JSON.stringify([endpoint(r), r.prefix ?? '', r.blocked ?? false, r.mirrorByDigestOnly ?? false, (r.mirrors ?? []).map(endpoint)]);
  return shape(a) === shape(b);
}

const findMirror = (location: string | undefined, mirrors: RawEndpoint[] | undefined) => (mirrors ?? []).find((m) => (m.location ?? '') === (location ?? ''));

function allDigestOnly(r: RawRegistry): boolean {
  const mirrors = r.mirrors ?? [];
  if (mirrors.length === 0) return r.mirrorByDigestOnly ?? false;
  return mirrors.every((m) => m.pullFromMirror === 'digest-only');
}

/** One registry present on both sides: undefined when the change is safe, else the daemon's log line. */
function changedRegistry(scope: string, o: RawRegistry, n: RawRegistry, perMirrorPullFrom: boolean): string | undefined {
  const P = REGISTRIES_CONF_PATH;
  if ((o.prefix ?? '') !== (n.prefix ?? '')) return text('mcd.prefix-changed', P, scope, o.prefix ?? '', n.prefix ?? '');
  if ((o.location ?? '') !== (n.location ?? '')) return text('mcd.location-changed', P, scope, o.location ?? '', n.location ?? '');
  if ((o.blocked ?? false) !== (n.blocked ?? false)) return text('mcd.blocked-changed', P, scope, o.blocked ?? false, n.blocked ?? false);
  if ((o.insecure ?? false) !== (n.insecure ?? false)) return text('mcd.insecure-changed', P, scope, o.insecure ?? false, n.insecure ?? false);
  const oldDigestOnly = o.mirrorByDigestOnly ?? false;
  const newDigestOnly = n.mirrorByDigestOnly ?? false;
  if (!perMirrorPullFrom && oldDigestOnly !== newDigestOnly) return text('mcd.digest-only-changed', P, scope, oldDigestOnly, newDigestOnly);
  for (const m of o.mirrors ?? []) if (!findMirror(m.location, n.mirrors)) return text('mcd.mirror-removed', P, m.location ?? '', scope);
  for (const m of n.mirrors ?? []) {
    const old = findMirror(m.location, o.mirrors);
    if (!perMirrorPullFrom) {
      if (!old && !newDigestOnly) return text('mcd.mirror-added-old', P, m.location ?? '', scope, newDigestOnly);
      continue;
    }
    const pull = m.pullFromMirror ?? '';
    if (old && pull !== (old.pullFromMirror ?? '') && pull !== 'digest-only') return text('mcd.pull-from-mirror-changed', P, m.location ?? '', old.pullFromMirror ?? '', pull);
    if (!old && pull !== 'digest-only' && !newDigestOnly) return text('mcd.mirror-added', P, m.location ?? '', scope, pull);
  }
  return undefined;
}

/**
 * Judges old → new registries.conf as the daemon of a release does (perMirrorPullFrom: 4.13+).
 * A file that does not decode throws the daemon's error: the update fails and the node degrades.
 */
export function registriesChangeVerdict(oldContent: string, newContent: string, perMirrorPullFrom: boolean): DrainVerdict {
  const P = REGISTRIES_CONF_PATH;
  const o = decode(oldContent);
  const n = decode(newContent);
  const unsafe = (reason: string): DrainVerdict => ({ safe: false, reason });
  if (o.search.length > n.search.length || o.search.some((s, i) => n.search[i] !== s)) return unsafe(text('mcd.search-changed', P));
  for (const scope of o.registries.keys()) if (!n.registries.has(scope)) return unsafe(text('mcd.registry-removed', P, scope));
  for (const [scope, reg] of n.registries) {
    const old = o.registries.get(scope);
    if (old) {
      if (sameRegistry(old, reg)) continue;
      const reason = changedRegistry(scope, old, reg, perMirrorPullFrom);
      if (reason) return unsafe(reason);
    } else if (perMirrorPullFrom ? !allDigestOnly(reg) : !(reg.mirrorByDigestOnly ?? false)) {
      return unsafe(perMirrorPullFrom ? text('mcd.registry-added', P, scope) : text('mcd.registry-added-old', P, scope, reg.mirrorByDigestOnly ?? false));
    }
  }
  return { safe: true, reason: text('mcd.safe', P) };
}
