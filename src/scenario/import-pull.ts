/**
 * A pull entry that is an ImageStream import (`import: NAME[:TAG]`, `oc import-image`). Its keys are
 * oc's flags; values oc itself checks (import mode, reference policy) are taken as typed, so a
 * scenario can show oc's own complaint, while an unknown key or a wrong type stops the load.
 */
import { isName } from './formats.js';
import type { Expectation, ImportSpec, PullSpec } from './types.js';
import type { Site, YamlReader } from './yaml-reader.js';

const IMPORT_KEYS = ['import', 'namespace', 'from', 'insecure', 'importMode', 'referencePolicy', 'scheduled', 'confirm', 'as', 'expect'] as const;
const WHO = ['developer', 'cluster-admin'] as const;

export function hasImportKey(r: YamlReader, at: Site): boolean {
  return r.kind(at) === 'map' && r.entries(at).some(([k]) => k === 'import');
}

/** `placeholders` checks `${digest:…}` in --from, as in a pull's image. */
export function readImportPull(r: YamlReader, at: Site, expectation: (at: Site) => Expectation, placeholders: (at: Site, s: string) => void): PullSpec {
  const f = r.fields(at, IMPORT_KEYS, ['import']);
  const target = r.string(f.import!);
  const colon = target.lastIndexOf(':');
  const stream = colon < 0 ? target : target.slice(0, colon);
  const tag = colon < 0 ? 'latest' : target.slice(colon + 1);
  if (!isName(stream) || tag === '' || target.includes('@')) r.fail(f.import!, 'scenario.import-target', target);
  const spec: ImportSpec = { stream, tag, confirm: f.confirm ? r.bool(f.confirm) : true, as: 'developer' };
  if (f.from) {
    spec.from = r.string(f.from);
    placeholders(f.from, spec.from);
  }
  if (f.insecure) spec.insecure = r.bool(f.insecure);
  if (f.scheduled) spec.scheduled = r.bool(f.scheduled);
  if (f.importMode) spec.importMode = r.string(f.importMode, { allowEmpty: true });
  if (f.referencePolicy) spec.referencePolicy = r.string(f.referencePolicy, { allowEmpty: true });
  if (f.as) {
    const who = r.string(f.as);
    if (!(WHO as readonly string[]).includes(who)) r.fail(f.as, 'scenario.enum', who, WHO.join(', '));
    spec.as = who as ImportSpec['as'];
  }
  return {
    import: spec,
    namespace: f.namespace ? r.string(f.namespace) : 'default',
    serviceAccount: 'default',
    platform: 'linux/amd64',
    options: {},
    line: r.line(at),
    ...(f.expect && { expect: expectation(f.expect) }),
  };
}
