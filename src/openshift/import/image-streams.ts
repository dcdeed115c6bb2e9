/**
 * ImageStream objects (image.openshift.io/v1) as the API server accepts them: the spec tags an
 * import reads (from, importPolicy, referencePolicy), checked as ValidateImageStream does, with
 * allowedRegistriesForImport applied to a user who may not create images.
 */
import { text } from '../../errors/index.js';
import { parseNormalizedNamed } from '../../reference/reference.js';
import type { ClusterObject } from '../../scenario/types.js';
import type { AllowedRegistry } from './import-config.js';
import { whitelistError } from './whitelist.js';

export interface StreamTag {
  name: string;
  /** spec.tags[].from: DockerImage (imported), ImageStreamTag, ImageStreamImage. */
  from?: { kind: string; name: string };
  insecure: boolean;
  scheduled: boolean;
  importMode: string;
  referencePolicy: string;
}

export interface ImageStreamModel {
  namespace: string;
  name: string;
  tags: StreamTag[];
}

const IMPORT_MODES = ['', 'Legacy', 'PreserveOriginal'];

type Obj = Record<string, unknown> | undefined;

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function findImageStream(cluster: ClusterObject[], namespace: string, name: string): ClusterObject | undefined {
  return cluster.find((o) => o.kind === 'ImageStream' && o.apiVersion === 'image.openshift.io/v1' && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace);
}

export function imageStreamModel(o: ClusterObject): ImageStreamModel {
  const tags = Array.isArray(obj(o.spec)?.tags) ? (obj(o.spec)!.tags as unknown[]) : [];
  return {
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name,
    tags: tags.map((t) => {
      const tag = obj(t) ?? {};
      const from = obj(tag.from);
      const policy = obj(tag.importPolicy) ?? {};
      return {
        name: str(tag.name),
        ...(from && { from: { kind: str(from.kind), name: str(from.name) } }),
        insecure: policy.insecure === true,
        scheduled: policy.scheduled === true,
        importMode: str(policy.importMode),
        referencePolicy: str(obj(tag.referencePolicy)?.type),
      };
    }),
  };
}

/** The API server's refusal of the stream (printed by oc as `The ImageStream "NAME" is invalid: …`), or undefined. */
export function imageStreamInvalid(is: ImageStreamModel, allowed: AllowedRegistry[] | undefined): string | undefined {
  const causes: string[] = [];
  for (const t of is.tags) {
    if (!IMPORT_MODES.includes(t.importMode)) causes.push(text('import.bad-mode', `spec.tags[${t.name}].importPolicy.importMode`, t.importMode));
    if (t.from?.kind !== 'DockerImage' || allowed === undefined) continue;
    let domain: string;
    try {
      domain = parseNormalizedNamed(t.from.name).domain;
    } catch {
      continue;
    }
    const err = whitelistError(allowed, domain, t.insecure ? 'any' : 'secure');
    if (err) causes.push(text('import.field-forbidden', `spec.tags[${t.name}].from.name`, err));
  }
  if (causes.length === 0) return undefined;
  return text('import.invalid', 'ImageStream', is.name, causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`);
}
