/**
 * The kubelet's side of a pull that does not depend on the runtime behind the CRI: the default
 * tag it adds, the InvalidImageName outcome when it cannot parse the image, the keyring lookup
 * that decides one PullImage per credential, and how it aggregates their errors.
 */
import { buildKeyring, nodeKeyringSource, type KeyringSource } from '../auth/kubelet-keyring.js';
import { StackError, text } from '../errors/index.js';
import type { NodeFS } from '../node-fs.js';
import { parseNormalizedNamed } from '../reference/reference.js';
import type { PullOutcome } from '../run/outcome.js';
import type { Credential } from '../system-context.js';
import { EventRecorder } from './event-recorder.js';

/** kuberuntime applyDefaultImageTag: ":latest" appended to the text, with no domain added. */
export function applyDefaultImageTag(image: string): string {
  const r = parseNormalizedNamed(image);
  if (r.digest === undefined && r.tag === undefined) return `${image}:latest`;
  return image;
}

/** EnsureImageExists fails before any pull: an InspectFailed event, then startContainer's. */
export function invalidImageNameOutcome(image: string, err: StackError): PullOutcome {
  const error = text('kubelet.invalid-image-name', image, image, err.message);
  const recorder = new EventRecorder();
  recorder.record(0, 'Warning', 'InspectFailed', error);
  recorder.record(0, 'Warning', 'Failed', text('kubelet.start-error', 'InvalidImageName'));
  const eventTable = recorder.rows(0);
  return { image, result: 'failed', from: null, digest: null, attempts: [], error, events: eventTable.map((r) => r.message), eventTable, notes: [] };
}

/** utilerrors.NewAggregate(...).Error(): one distinct message as is, several as "[a, b]". */
export function aggregateMessages(messages: string[]): string {
  const distinct = [...new Set(messages)];
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]`;
}

export interface KeyringCredentials {
  /** One entry per CRI PullImage the kubelet makes; undefined: a call without credentials. */
  creds: (Credential | undefined)[];
  /** MakeDockerKeyring's error (a malformed pod secret): EnsureImageExists returns it. */
  keyringError?: string;
  /** How many credentials matched. */
  matched: number;
}

/** The kubelet's keyring (pod secrets, then the node's config.json) for an image with its default tag. */
export function keyringCredentials(fs: NodeFS, podSecrets: KeyringSource[], image: string): KeyringCredentials {
  try {
    const found = buildKeyring(podSecrets, nodeKeyringSource(fs)).lookup(image);
    return { creds: found.length ? found : [undefined], matched: found.length };
  } catch (e) {
    if (!(e instanceof StackError)) throw e;
    return { creds: [undefined], keyringError: e.message, matched: 0 };
  }
}
