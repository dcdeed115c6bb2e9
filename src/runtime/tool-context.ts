/**
 * The SystemContext each tool builds from its command line: the scenario's `options:` are the flags
 * of `skopeo copy` / `podman pull`, and CRI-O's come from crio.conf as OpenShift ships it.
 */
import { InputError } from '../errors/index.js';
import type { PullSpec } from '../scenario/types.js';
import { defaultSystemContext, type RuntimeName, type SystemContext } from '../system-context.js';

/** OpenShift's crio.conf: global_auth_file = "/var/lib/kubelet/config.json". */
export const CRIO_GLOBAL_AUTH_FILE = '/var/lib/kubelet/config.json';

function applyPlatform(sys: SystemContext, platform: string): void {
  const [os, arch, variant] = platform.split('/');
  sys.os = os;
  sys.arch = arch;
  if (variant !== undefined) sys.variant = variant;
  else delete sys.variant;
}

export function toolSystemContext(runtime: RuntimeName, pull: PullSpec): SystemContext {
  const sys = defaultSystemContext(runtime);
  applyPlatform(sys, pull.platform);
  const o = pull.options;
  if (runtime === 'crio') {
    sys.authFilePath = CRIO_GLOBAL_AUTH_FILE;
    return sys;
  }
  if (o.tlsVerify !== undefined) sys.dockerInsecureSkipTLSVerify = !o.tlsVerify;
  if (o.certDir !== undefined) sys.dockerCertPath = o.certDir;
  if (o.authfile !== undefined) sys.authFilePath = o.authfile;
  if (o.registriesConf !== undefined) sys.registriesConfPath = o.registriesConf;
  if (o.signaturePolicy !== undefined) sys.signaturePolicyPath = o.signaturePolicy;
  if (o.creds !== undefined) {
    const i = o.creds.indexOf(':');
    const flag = runtime === 'skopeo' ? '--src-creds' : '--creds';
    if (i <= 0) throw new InputError(`options.creds must be "USER:PASSWORD" (${flag})`, undefined, pull.line, 'options.creds');
    sys.dockerAuthConfig = { username: o.creds.slice(0, i), password: o.creds.slice(i + 1), source: `user ${o.creds.slice(0, i)} from ${flag}` };
  }
  if (o.platform !== undefined) applyPlatform(sys, o.platform);
  if (o.arch !== undefined) {
    sys.arch = o.arch;
    delete sys.variant;
  }
  return sys;
}
