/**
 * `oc import-image NAME[:TAG]` end to end (openshift/oc pkg/cli/importimage): oc's own flag checks,
 * the ImageStreamImport it sends (from --from or the stream's spec tag), the API server's
 * whitelist check for users who may not create images, the import, and what oc prints.
 */
import { StackError, text } from '../../errors/index.js';
import { parseNormalizedNamed } from '../../reference/reference.js';
import type { AttemptRecord } from '../../run/outcome.js';
import type { ClusterObject, ImportSpec } from '../../scenario/types.js';
import { describeImport } from './describe.js';
import { findImageStream, imageStreamInvalid, imageStreamModel, type StreamTag } from './image-streams.js';
import { importTag, type ImportedImage, type ImporterEnv, type ImportMode } from './importer.js';
import { registryHostPort, whitelistError } from './whitelist.js';

export interface OcImportResult {
  result: 'imported' | 'failed';
  /** The tag condition's reason, or the API error's reason (Invalid) when the request was refused; null on success or a client-side error. */
  reason: string | null;
  /** The tag condition's message, the API error, or oc's client-side error. */
  error: string | null;
  image?: ImportedImage;
  attempts: AttemptRecord[];
  stdout: string;
  stderr: string;
  /** Both streams as a terminal shows them: the failed-tag lines, stdout, then the final error. */
  transcript: string;
  exitCode: number;
  /** The tag as it now stands: referencePolicy, for pods resolving it. */
  referencePolicy: 'Source' | 'Local';
}

function clientError(message: string): OcImportResult {
  const stderr = `${text('oc.error', message)}\n`;
  return { result: 'failed', reason: null, error: message, attempts: [], stdout: '', stderr, transcript: stderr, exitCode: 1, referencePolicy: 'Source' };
}

/** An API error for the whole request, printed by kubectl's checkErr: Invalid as `The <Kind> "<name>" is invalid: …`. */
export function ocApiError(reason: string, message: string): OcImportResult {
  return { result: 'failed', reason, error: message, attempts: [], stdout: '', stderr: `${message}\n`, transcript: `${message}\n`, exitCode: 1, referencePolicy: 'Source' };
}

export async function ocImportImage(spec: ImportSpec, namespace: string, cluster: ClusterObject[], env: ImporterEnv): Promise<OcImportResult> {
  // Validate(): flags are checked before anything is sent.
  if (spec.referencePolicy !== undefined && spec.referencePolicy !== 'source' && spec.referencePolicy !== 'local') return clientError(text('oc.reference-policy'));
  if (spec.importMode !== undefined && spec.importMode !== '' && spec.importMode !== 'Legacy' && spec.importMode !== 'PreserveOriginal') {
    return clientError(text('oc.import-mode', 'Legacy', 'PreserveOriginal'));
  }
  const streamObject = findImageStream(cluster, namespace, spec.stream);
  const stream = streamObject ? imageStreamModel(streamObject) : undefined;
  const isDeveloper = spec.as === 'developer';
  if (stream) {
    const invalid = imageStreamInvalid(stream, isDeveloper ? env.config.allowedForImport : undefined);
    if (invalid) return ocApiError('Invalid', invalid);
  }
  if (!stream && !spec.confirm) return clientError(text('oc.no-stream', spec.stream));
  // importTag(): an existing tag is re-imported from its own source, never redirected.
  const old: StreamTag | undefined = stream?.tags.find((t) => t.name === spec.tag);
  let from = spec.from;
  if (old) {
    if (old.from && old.from.kind !== 'DockerImage') return clientError(text('oc.not-reimportable', spec.tag, old.from.kind, old.from.name));
    if (!old.from) return clientError(text('oc.tag-exists', spec.tag, from ?? ''));
    if (from !== undefined && from !== old.from.name) return clientError(text('oc.tag-points-to', spec.tag, old.from.name, from));
    from = old.from.name;
  } else if (from === undefined) {
    if (stream) return clientError(text('oc.no-such-tag', spec.tag));
    from = `${spec.stream}:${spec.tag}`;
  }
  const insecure = (spec.insecure ?? false) || (old?.insecure ?? false);
  const scheduled = (spec.scheduled ?? false) || (old?.scheduled ?? false);
  const importMode: ImportMode = ((spec.importMode || old?.importMode) as ImportMode | undefined) || 'Legacy';
  const referencePolicy = spec.referencePolicy ? (spec.referencePolicy === 'local' ? 'Local' : 'Source') : old?.referencePolicy === 'Local' ? 'Local' : 'Source';

  // REST.Create: a user who may neither create images nor imagestreammappings is held to the whitelist.
  if (isDeveloper) {
    let hostPort: string | undefined;
    try {
      hostPort = registryHostPort(parseNormalizedNamed(from), insecure);
    } catch (e) {
      if (!(e instanceof StackError)) throw e;
    }
    const refused = hostPort === undefined ? undefined : whitelistError(env.config.allowedForImport, hostPort, 'secure');
    if (refused && hostPort !== undefined) {
      const cause = text('import.field-forbidden', 'spec.images[0].from.name', text('import.isi-forbidden', hostPort, refused));
      return ocApiError('Invalid', text('import.invalid', 'ImageStreamImport', spec.stream, cause));
    }
  }

  const outcome = await importTag(env, { from, insecure, importMode });
  const printed = describeImport({ namespace, stream: spec.stream, tag: spec.tag, from, insecure, scheduled, referencePolicy, outcome });
  if (outcome.ok) {
    return { result: 'imported', reason: null, error: null, image: outcome.image, attempts: outcome.attempts, stdout: printed, stderr: '', transcript: printed, exitCode: 0, referencePolicy };
  }
  const tagFailed = `${text('oc.tag-failed', spec.tag, outcome.status.message)}\n`;
  const final = `${text('oc.error', text('oc.completed-with-errors'))}\n`;
  return {
    result: 'failed',
    reason: outcome.status.reason,
    error: outcome.status.message,
    attempts: outcome.attempts,
    stdout: printed,
    stderr: tagFailed + final,
    transcript: tagFailed + printed + final,
    exitCode: 1,
    referencePolicy,
  };
}
