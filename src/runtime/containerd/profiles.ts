/**
 * The containerd releases pullsim can follow (scenario `versions.containerd`). They differ in the
 * resolver's status errors (≤1.6.24 vs later), in which error wins when every host fails (2.x
 * ranks them), in the hosts.toml parser (go-toml v1 in 1.x, v2 in 2.x, which drops the
 * "invalid `host` tree" rule), in the CRI config layout and defaults, and in the Go toolchain the
 * release was built with (x509 wording). Each is paired with a kubelet of its era.
 */
import { InputError } from '../../errors/index.js';

export interface ContainerdProfile {
  /** As the scenario wrote it ("1.6.20", "1.7", "2.0"). */
  version: string;
  minor: '1.6' | '1.7' | '2.0' | '2.1';
  /** The patch release, or undefined for "the latest of that minor". */
  patch?: number;
  label: string;
  /** ≤1.6.24: `pulling from host H failed with status code [manifests T]: S`; later: ErrUnexpectedStatus with method and URL. */
  hostStatusWording: boolean;
  /** 2.x ranks failures (4xx > 404 > transport) instead of keeping the first one recorded. */
  errorPriority: boolean;
  /** 1.x (go-toml v1 getSortedHosts): a hosts.toml without a [host] table is rejected (logged) and ignored. */
  hostTreeRequired: boolean;
  /** Go ≥ 1.14 quotes the URL in `Head "…": …`; the vSphere fetcher's older Go does not. */
  goQuotedUrls: boolean;
  /** Go ≥ 1.20 prefixes x509 errors with `tls: failed to verify certificate: `. */
  goTlsVerifyPrefix: boolean;
  /** The paired kubelet strips `rpc error: code = Unknown desc = ` (kubelet ≥1.30 cri-client); NotFound keeps it. */
  kubeletStripsUnknown: boolean;
  /** The paired kubelet's "Pulled" event ends with "Image size: N bytes." (kubelet ≥1.30). */
  pulledImageSize: boolean;
  /** config.toml `version` this release writes, and the plugin that holds the CRI registry section. */
  configVersion: 2 | 3;
  criRegistryPlugin: string;
  /** The CRI registry config_path when config.toml does not set one. */
  defaultConfigPath: string;
  /**
   * 2.x: an http host with TLS settings on a port other than 80 is tried over https first, falling
   * back to http when the server answers in plain HTTP (NewHTTPFallback); localhost defaults so too.
   */
  httpFallback: boolean;
}

/** Debian 12's build, the one the recorded corpus observed: every default text is an observed one. */
export const DEFAULT_CONTAINERD = '1.6.20';

const MINORS = ['1.6', '1.7', '2.0', '2.1'] as const;
const VERSION = /^(\d+\.\d+)(?:\.(\d{1,3}))?$/;

/** What versions.containerd accepts, for the loader's message. */
export const CONTAINERD_VERSIONS = `${MINORS.join(', ')} or one of their patch releases (e.g. 1.6.20)`;

export function isContainerdVersion(v: string): boolean {
  const m = VERSION.exec(v);
  return !!m && (MINORS as readonly string[]).includes(m[1]);
}

export function containerdProfile(version: string | undefined, file?: string): ContainerdProfile {
  const v = version ?? DEFAULT_CONTAINERD;
  if (!isContainerdVersion(v)) throw new InputError(`versions.containerd ${JSON.stringify(v)} is not emulated; accepted: ${CONTAINERD_VERSIONS}`, file, undefined, 'versions.containerd');
  const m = VERSION.exec(v)!;
  const minor = m[1] as ContainerdProfile['minor'];
  const patch = m[2] === undefined ? undefined : Number(m[2]);
  const v1 = minor === '1.6' || minor === '1.7';
  // 1.6.25 changed the status wording (commit 894e78001) and was the first 1.6 built with Go 1.20.
  const early16 = minor === '1.6' && patch !== undefined && patch <= 24;
  return {
    version: v,
    minor,
    patch,
    label: `containerd ${patch === undefined ? `${minor} (latest patch)` : v} with a kubelet of its era`,
    hostStatusWording: early16,
    errorPriority: !v1,
    hostTreeRequired: v1,
    goQuotedUrls: true,
    goTlsVerifyPrefix: !early16,
    kubeletStripsUnknown: !v1,
    pulledImageSize: !v1,
    configVersion: v1 ? 2 : 3,
    criRegistryPlugin: v1 ? 'io.containerd.grpc.v1.cri' : 'io.containerd.cri.v1.images',
    defaultConfigPath: v1 ? '' : '/etc/containerd/certs.d:/etc/docker/certs.d',
    httpFallback: !v1,
  };
}
