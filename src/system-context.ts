/**
 * The subset of containers/image's types.SystemContext that pullsim emulates, plus which runtime
 * is pulling. Every decision in the resolver reads its inputs from here and from a NodeFS.
 */
import type { RegistryErrorEra } from './pull/registry-errors.js';

export type RuntimeName = 'crio' | 'podman' | 'skopeo' | 'containerd' | 'vsphere-pod';

export interface Credential {
  username: string;
  password: string;
  /** Redacted description of where it came from, e.g. "user alice from /root/auth.json key private.lab.test:5443". Never the secret. */
  source: string;
}

export interface SystemContext {
  runtime: RuntimeName;
  /** $HOME of the pulling user: /root in every scenario. */
  home: string;
  uid: number;
  /** $XDG_RUNTIME_DIR; unset in scenarios, so the default auth file is /run/containers/<uid>/auth.json. */
  xdgRuntimeDir?: string;
  /** skopeo --registries-conf, podman CONTAINERS_REGISTRIES_CONF: explicit main file (missing → error). */
  registriesConfPath?: string;
  /** Explicit drop-in directory (default /etc/containers/registries.conf.d). */
  registriesConfDirPath?: string;
  /** skopeo --policy, podman --signature-policy. */
  signaturePolicyPath?: string;
  /** --authfile / REGISTRY_AUTH_FILE, or CRI-O's global_auth_file (/var/lib/kubelet/config.json on OpenShift). */
  authFilePath?: string;
  /** --cert-dir / --src-cert-dir: replaces every certs.d lookup. */
  dockerCertPath?: string;
  /** --tls-verify=false sets this to true; undefined leaves registries.conf in charge. */
  dockerInsecureSkipTLSVerify?: boolean;
  /** --creds / --src-creds, or the kubelet-supplied credential for this CRI call. Wins outright over auth files. */
  dockerAuthConfig?: Credential;
  /** OS/arch/variant to choose from a manifest list (default linux/amd64). */
  os: string;
  arch: string;
  variant?: string;
  /** The containers/image release line whose registry-error wording the runtime prints (default 5.23: skopeo/podman). */
  registryErrorEra?: RegistryErrorEra;
}

export function defaultSystemContext(runtime: RuntimeName = 'crio'): SystemContext {
  return { runtime, home: '/root', uid: 0, os: 'linux', arch: 'amd64' };
}
