/**
 * The CRI-O + kubelet releases pullsim can follow (scenario `versions.crio`). They differ in how
 * the error reaching the kubelet is wrapped, in the short-name mode, and in the Go release they are
 * built with (Go ≥ 1.20 prefixes x509 errors with "tls: failed to verify certificate: ").
 */
import { InputError } from '../errors/index.js';

export interface CrioProfile {
  version: string;
  label: string;
  /** kubelet events keep gRPC's `rpc error: code = Unknown desc = ` (the OKD 4.15 node shows it). */
  rpcPrefix: boolean;
  /** ≤1.32: PrepareImage (ref.NewImage) opens the source first and returns its error unwrapped. */
  prepareImage: boolean;
  /** ≥1.34: a failed image pull falls back to an OCI artifact pull and reports both errors. */
  artifactFallback: boolean;
  /** ≥1.34: short_name_mode = "enforcing" by default (≤1.33 forces disabled). */
  shortNameEnforcing: boolean;
  /** ≥1.34: ECONNREFUSED becomes RegistryUnavailable, which the kubelet reports as such. */
  registryUnavailable: boolean;
  goTlsVerifyPrefix: boolean;
}

const PROFILES: CrioProfile[] = [
  {
    version: '1.28',
    label: 'CRI-O 1.28 with kubelet 1.28 (the OKD 4.15-era node)',
    rpcPrefix: true,
    prepareImage: true,
    artifactFallback: false,
    shortNameEnforcing: false,
    registryUnavailable: false,
    goTlsVerifyPrefix: true,
  },
  {
    version: '1.34',
    label: 'CRI-O 1.34 with kubelet 1.34',
    rpcPrefix: false,
    prepareImage: false,
    artifactFallback: true,
    shortNameEnforcing: true,
    registryUnavailable: true,
    goTlsVerifyPrefix: true,
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
