/**
 * A vSphere Pod's image pull (runtime vsphere-pod): the Supervisor turns the pod's image into an
 * image object, and an ESXi host's image fetcher resolves and fetches it with containerd's resolver
 * built by an older Go (the URL in `Head https://…: …` is not quoted; x509 errors carry no
 * `tls: failed to verify certificate:` prefix). The fetcher has no hosts.toml: it dials the
 * registry itself over https (plain http only for loopback, as containerd's default upstream), and
 * trusts the PEM certificates of the kube-system ConfigMap image-fetcher-ca-bundle (key
 * ca-bundle). Credentials come from the pod's kubernetes.io/dockerconfigjson imagePullSecrets.
 * The events are the spherelet's (`From: kubelet, <node>`), not the kubelet's pull messages.
 */
import type { KeyringSource } from '../../auth/kubelet-keyring.js';
import { text } from '../../errors/index.js';
import { EventRecorder } from '../../kubelet/event-recorder.js';
import { defaultTaggedImage, keyringCredentials } from '../../kubelet/kubelet-pull.js';
import { refString } from '../../reference/reference.js';
import type { AttemptRecord, PullOutcome } from '../../run/outcome.js';
import type { VsphereSpec } from '../../scenario/types.js';
import { clientPull, platformOf } from '../containerd/client-pull.js';
import { parseDockerRef } from '../containerd/cri.js';
import { containerdProfile, type ContainerdProfile } from '../containerd/profiles.js';
import { registryHosts } from '../containerd/registry-hosts.js';
import type { RuntimeInput } from '../runtime-input.js';
import { imageObjectName } from './image-object.js';

export interface VspherePodInput extends RuntimeInput {
  vsphere: VsphereSpec;
  /** PEM certificates of the image-fetcher-ca-bundle ConfigMap (see ca-bundle.ts). */
  caBundle: string[];
  podSecrets: KeyringSource[];
}

/**
 * containerd's resolver as the fetcher links it: the ≤1.6.24 status wording and first-error-wins of
 * the 1.x resolver, with the older Go's unquoted url.Error.
 */
export const FETCHER_RELEASE: ContainerdProfile = { ...containerdProfile('1.6.20'), goQuotedUrls: false, label: 'the vSphere image fetcher (containerd resolver, Go before 1.14)' };

export async function pullWithVspherePod(input: VspherePodInput): Promise<PullOutcome> {
  const { vsphere } = input;
  const notes = [`vsphere-pod: ${FETCHER_RELEASE.label}; pod on node ${vsphere.node}, image resolved on ${vsphere.resolvingHost}`];
  const image = defaultTaggedImage(input.image, notes);
  if (typeof image !== 'string') return image;
  const ref = parseDockerRef(image);
  const object = imageObjectName(input.pull.namespace, ref, vsphere.imageVersion);
  notes.push(`vsphere-pod: image object ${object} (SHA-1 of ${JSON.stringify(refString(ref))})`);
  notes.push(input.caBundle.length
    ? `vsphere-pod: ${input.caBundle.length} certificate(s) from ConfigMap kube-system/image-fetcher-ca-bundle (ca-bundle) trusted`
    : 'vsphere-pod: no certificate in ConfigMap kube-system/image-fetcher-ca-bundle (key ca-bundle): the image fetcher trusts no private CA');

  const { creds, keyringError, matched } = keyringCredentials(input.fs, input.podSecrets, image);
  if (keyringError !== undefined) notes.push(`vsphere-pod: pull secrets ignored: ${keyringError}`);
  if (matched > 1) notes.push(`vsphere-pod: ${matched} matching credentials; the first one is sent`);
  const credential = creds[0];

  const plan = registryHosts(input.fs, ref.domain, { roots: [] }, FETCHER_RELEASE);
  const attempts: AttemptRecord[] = [];
  const r = await clientPull({
    fs: input.fs,
    net: input.net,
    ref,
    plan,
    release: FETCHER_RELEASE,
    systemRoots: input.caBundle,
    credentials: () => credential,
    platform: platformOf(input.pull.platform),
    attempts,
    log: (l) => notes.push(`image fetcher log: ${l}`),
  });

  const recorder = new EventRecorder(`kubelet, ${vsphere.node}`);
  recorder.record(0, 'Normal', 'Pulling', text('vsphere.waiting', object));
  let error: string | null = null;
  if (!r.ok) {
    if (r.stage === 'fetch') notes.push('vsphere-pod: the failure came after the image was resolved; its event wording is not observed, pullsim shows it in the resolve failure\'s words');
    error = text('vsphere.failed', object, vsphere.resolvingHost, r.error.message);
    recorder.record(0, 'Warning', 'Failed', error);
  } else {
    notes.push('vsphere-pod: the event for a pulled image is not observed; pullsim shows none');
  }
  const eventTable = recorder.rows(0);
  return {
    image: input.image,
    result: r.ok ? 'pulled' : 'failed',
    from: r.ok ? r.from : null,
    digest: r.ok ? r.digest : null,
    attempts,
    error,
    events: eventTable.map((e) => e.message),
    eventTable,
    notes,
  };
}
