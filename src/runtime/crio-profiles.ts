/**
 * The CRI-O + kubelet releases pullsim can follow (scenario `versions.crio`), each paired with the
 * kubelet of the same minor release. They differ in how CRI-O reaches and wraps a pull error
 * (server/image_pull.go, internal/storage/image.go at each release tag), in the short-name mode,
 * and in what the kubelet does with the error (cri-client remote_image.go, images/image_manager.go).
 */
import { InputError } from '../errors/index.js';

/**
 * How CRI-O pulls one candidate, by release:
 * - prepare-image (≤1.30): PrepareImage (ref.NewImage) opens the source first and returns its error unwrapped;
 * - copy (1.31–1.32): copy.Image directly, so copy's "initializing source docker://…: " wording;
 * - artifact-first (1.33): an OCI-artifact manifest probe first; its failure is "unable to try pulling possible OCI artifact: …";
 * - artifact-fallback (1.34): copy.Image, and on any error an artifact pull, both errors reported;
 * - artifact-fallback-net (≥1.36): as 1.34, but network errors skip the artifact pull ("unable to pull image: …").
 */
export type CrioPullPath = 'prepare-image' | 'copy' | 'artifact-first' | 'artifact-fallback' | 'artifact-fallback-net';

export interface CrioProfile {
  version: string;
  label: string;
  pullPath: CrioPullPath;
  /** ≥1.34: short_name_mode = "enforcing" by default; ≤1.33 forces disabled (all candidates, in order). */
  shortNameEnforcing: boolean;
  /** ECONNREFUSED anywhere in the chain → "RegistryUnavailable: <err>" (server/image_pull.go, every release here). */
  registryUnavailable: boolean;
  /** The kubelet event keeps gRPC's "rpc error: code = Unknown desc = " (observed on the OKD 4.15 node). */
  rpcPrefix: boolean;
  /** The kubelet's "Pulled" event ends with "Image size: N bytes." (kubelet ≥1.30). */
  pulledImageSize: boolean;
  /** Go ≥ 1.20 prefixes x509 errors with "tls: failed to verify certificate: ". */
  goTlsVerifyPrefix: boolean;
  /** The containers/image the release vendors (go.mod at the tag); it decides registry-error wording. */
  containersImage: string;
}

const PROFILES: CrioProfile[] = [
  {
    version: '1.28',
    label: 'CRI-O 1.28 with kubelet 1.28 (the OKD 4.15-era node)',
    pullPath: 'prepare-image',
    shortNameEnforcing: false,
    registryUnavailable: true,
    rpcPrefix: true,
    pulledImageSize: false,
    goTlsVerifyPrefix: true,
    containersImage: '5.27.0',
  },
  {
    version: '1.31',
    label: 'CRI-O 1.31 with kubelet 1.31',
    pullPath: 'copy',
    shortNameEnforcing: false,
    registryUnavailable: true,
    rpcPrefix: false,
    pulledImageSize: true,
    goTlsVerifyPrefix: true,
    containersImage: '5.32.2',
  },
  {
    version: '1.33',
    label: 'CRI-O 1.33 with kubelet 1.33',
    pullPath: 'artifact-first',
    shortNameEnforcing: false,
    registryUnavailable: true,
    rpcPrefix: false,
    pulledImageSize: true,
    goTlsVerifyPrefix: true,
    containersImage: '5.35.0',
  },
  {
    version: '1.34',
    label: 'CRI-O 1.34 with kubelet 1.34',
    pullPath: 'artifact-fallback',
    shortNameEnforcing: true,
    registryUnavailable: true,
    rpcPrefix: false,
    pulledImageSize: true,
    goTlsVerifyPrefix: true,
    containersImage: '5.36.2',
  },
  {
    version: '1.36',
    label: 'CRI-O 1.36 with kubelet 1.36',
    pullPath: 'artifact-fallback-net',
    shortNameEnforcing: true,
    registryUnavailable: true,
    rpcPrefix: false,
    pulledImageSize: true,
    goTlsVerifyPrefix: true,
    containersImage: '5.38.0',
  },
];

export const DEFAULT_CRIO = '1.28';

export function crioProfile(version: string | undefined, file?: string): CrioProfile {
  const v = version ?? DEFAULT_CRIO;
  const p = PROFILES.find((x) => x.version === v);
  if (!p) throw new InputError(`versions.crio ${JSON.stringify(v)} is not emulated; accepted: ${PROFILES.map((x) => x.version).join(', ')}`, file, undefined, 'versions.crio');
  return p;
}

export function crioProfiles(): readonly CrioProfile[] {
  return PROFILES;
}
