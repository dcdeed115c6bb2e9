/**
 * What the machine-config daemon does to each node of a pool when the pool's rendered MachineConfig
 * changes: reboot, reload or restart CRI-O, or nothing, and whether it drains first.
 *
 * Read from machine-config-operator's release branches:
 * - pkg/daemon/update.go calculatePostConfigChangeAction(FromFileDiffs|FromMCDiffs): a change of OS image,
 *   kernel arguments, FIPS, kernel type, extensions or systemd units reboots; otherwise each changed file
 *   is looked up in the release's lists (none / reload crio / restart crio) and any other file reboots.
 * - pkg/daemon/drain.go isDrainRequired: a reboot drains; a CRI-O reload or restart drains only when
 *   registries.conf changed unsafely (registries-drain.ts), unless the ConfigMap
 *   openshift-machine-config-operator/image-registry-override-drain exists.
 * - From 4.17 the NodeDisruptionPolicy feature gate is on by default (4.16: tech preview only): actions
 *   come from MachineConfiguration cluster's spec.nodeDisruptionPolicy merged over the MCO's defaults
 *   (pkg/apihelpers defaultClusterPolicies), matched by the longest path (FindClosestFilePolicyPathMatch).
 */
import { posix } from 'node:path';
import { ClusterObjectError, text } from '../errors/index.js';
import type { McRebootFields, NdpAction } from './objects.js';
import { registriesChangeVerdict, REGISTRIES_CONF_PATH } from './registries-drain.js';
import type { RenderedMachineConfig } from './render.js';

const KUBELET_AUTH = '/var/lib/kubelet/config.json';
const KUBELET_CA = '/etc/kubernetes/kubelet-ca.crt';
const INTERNAL_REGISTRY_AUTH = '/etc/mco/internal-registry-pull-secret.json';
const POLICY_JSON = '/etc/containers/policy.json';
const GPG_NO_REBOOT = '/etc/machine-config-daemon/no-reboot/containers-gpg.pub';
const USER_CA_BUNDLE = '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt';
const REGISTRIES_D = '/etc/containers/registries.d';
const NMSTATE_DIR = '/etc/nmstate/openshift';
const CRIO_POLICIES_DIR = '/etc/crio/policies';
const DRAIN_OVERRIDE = 'image-registry-override-drain';

export type DaemonAction = 'none' | 'reload crio' | 'restart crio' | 'reboot';

export interface RolloutImpact {
  pool: string;
  /** How the daemon decided: its fixed file lists, or node disruption policies (4.17+). */
  mode: 'file lists' | 'node disruption policies';
  /** Post-config-change actions in the daemon's words ("reboot", "reload crio", "Restart crio.service", …). */
  actions: string[];
  /** The coarse outcome, for reports and classification. */
  action: DaemonAction;
  drain: boolean;
  /** The file or MachineConfig field that decided the action. */
  decidedBy?: string;
  /** The daemon's log line that decided the drain, when registries.conf was judged. */
  drainReason?: string;
  /** Files added, removed or changed in the rendered MachineConfig, sorted. */
  changedFiles: string[];
  /** The daemon fails the update (Degraded) with this error. */
  error?: string;
  /** One line for a report's top: "reboots every node of pool worker: …". */
  summary: string;
}

interface FileLists {
  none: string[];
  noneDirs: string[];
  reload: string[];
  reloadDirs: string[];
  restart: string[];
  /** 4.16+: a reload never replaces a restart; before, the last file in Go's map order wins. */
  restartWins: boolean;
}

function minorOf(release: string): number {
  const m = /^4\.(\d+)$/.exec(release);
  if (!m) throw new Error(`rollout: unknown OpenShift release ${release}`);
  return Number(m[1]);
}

function fileLists(minor: number): FileLists {
  if (minor <= 13) return { none: [KUBELET_CA, KUBELET_AUTH], noneDirs: [], reload: [REGISTRIES_CONF_PATH, GPG_NO_REBOOT, POLICY_JSON], reloadDirs: [], restart: [], restartWins: false };
  if (minor <= 15) return { none: [KUBELET_CA, INTERNAL_REGISTRY_AUTH, KUBELET_AUTH], noneDirs: [], reload: [REGISTRIES_CONF_PATH, GPG_NO_REBOOT, POLICY_JSON], reloadDirs: [], restart: [USER_CA_BUNDLE], restartWins: false };
  return { none: [KUBELET_CA, KUBELET_AUTH], noneDirs: [NMSTATE_DIR], reload: [REGISTRIES_CONF_PATH, GPG_NO_REBOOT, POLICY_JSON], reloadDirs: [REGISTRIES_D], restart: [USER_CA_BUNDLE], restartWins: true };
}

const reloadCrio: NdpAction = { type: 'Reload', serviceName: 'crio.service' };

function defaultPolicies(minor: number): Array<{ path: string; actions: NdpAction[] }> {
  return [
    { path: KUBELET_AUTH, actions: [{ type: 'None' }] },
    { path: GPG_NO_REBOOT, actions: [reloadCrio] },
    { path: POLICY_JSON, actions: [reloadCrio] },
    { path: REGISTRIES_CONF_PATH, actions: [{ type: 'Special' }] },
    { path: REGISTRIES_D, actions: [reloadCrio] },
    ...(minor >= 18 ? [{ path: CRIO_POLICIES_DIR, actions: [reloadCrio] }] : []),
    { path: NMSTATE_DIR, actions: [{ type: 'None' }] },
    { path: USER_CA_BUNDLE, actions: [{ type: 'Restart', serviceName: 'coreos-update-ca-trust.service' }, { type: 'Restart', serviceName: 'crio.service' }] },
  ];
}

/** MergeClusterPolicies: a user policy replaces the default for the same path, or is appended. */
function mergedPolicies(minor: number, user: RenderedMachineConfig['nodeDisruptionFiles']): Array<{ path: string; actions: NdpAction[] }> {
  const merged = defaultPolicies(minor);
  for (const u of user) {
    const i = merged.findIndex((d) => d.path === u.path);
    if (i >= 0) merged[i] = u;
    else merged.push(u);
  }
  return merged;
}

function closestPolicy(path: string, policies: Array<{ path: string; actions: NdpAction[] }>): NdpAction[] | undefined {
  let best: { len: number; actions: NdpAction[] } | undefined;
  for (const p of policies) {
    const under = path.startsWith(`${posix.normalize(p.path).replace(/\/$/, '')}/`);
    if ((path === p.path || under) && p.path.length > (best?.len ?? 0)) best = { len: p.path.length, actions: p.actions };
  }
  return best?.actions;
}

function changedFiles(a: RenderedMachineConfig, b: RenderedMachineConfig): string[] {
  const paths = new Set([...a.files.keys(), ...b.files.keys()]);
  return [...paths].filter((p) => {
    const x = a.files.get(p);
    const y = b.files.get(p);
    return !x || !y || x.content !== y.content || (x.mode ?? null) !== (y.mode ?? null);
  }).sort();
}

/** The first machineConfigDiff field that forces a reboot, as the MachineConfig field that changed. */
function rebootField(a: McRebootFields, b: McRebootFields): string | undefined {
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  if (!same(a.osImageURL, b.osImageURL)) return 'spec.osImageURL';
  if (!same(a.kernelArguments, b.kernelArguments)) return 'spec.kernelArguments';
  if (!same(a.fips ?? false, b.fips ?? false)) return 'spec.fips';
  if (!same(a.units, b.units)) return 'spec.config.systemd.units';
  if (!same(a.kernelType, b.kernelType)) return 'spec.kernelType';
  if (!same(a.extensions, b.extensions)) return 'spec.extensions';
  return undefined;
}

function describeNdp(a: NdpAction): string {
  return 'serviceName' in a ? `${a.type} ${a.serviceName}` : a.type;
}

interface Decision {
  actions: string[];
  action: DaemonAction;
  decidedBy?: string;
  /** The drain depends on registries.conf's verdict (a CRI-O reload/restart, or the Special action). */
  judgeRegistries: boolean;
  /** A drain regardless of registries.conf (reboot, Drain action). */
  drain: boolean;
}

function fileListDecision(files: string[], minor: number): Decision {
  const lists = fileLists(minor);
  const dirOf = (p: string) => posix.dirname(p);
  let action: DaemonAction = 'none';
  let decidedBy: string | undefined;
  let both = false;
  for (const p of files) {
    if (lists.none.includes(p) || lists.noneDirs.includes(dirOf(p))) continue;
    if (lists.reload.includes(p) || lists.reloadDirs.includes(dirOf(p))) {
      if (action === 'restart crio') {
        if (lists.restartWins) continue;
        both = true;
      }
      action = 'reload crio';
      decidedBy ??= p;
      continue;
    }
    if (lists.restart.includes(p)) {
      if (action === 'reload crio' && !lists.restartWins) both = true;
      action = 'restart crio';
      decidedBy = p;
      continue;
    }
    return { actions: ['reboot'], action: 'reboot', decidedBy: p, judgeRegistries: false, drain: true };
  }
  // Before 4.16 the daemon keeps whichever of reload/restart its random map walk met last.
  const actions = both ? ['reload crio', 'restart crio'] : [action];
  const crio = action !== 'none';
  return { actions, action, decidedBy, judgeRegistries: crio && files.includes(REGISTRIES_CONF_PATH), drain: false };
}

function policyDecision(files: string[], minor: number, user: RenderedMachineConfig['nodeDisruptionFiles']): Decision {
  if (files.length === 0) return { actions: ['None'], action: 'none', judgeRegistries: false, drain: false };
  const policies = mergedPolicies(minor, user);
  const acts: Array<{ a: NdpAction; file: string }> = [];
  for (const p of files) {
    const found = closestPolicy(p, policies);
    if (!found) return { actions: ['Reboot'], action: 'reboot', decidedBy: p, judgeRegistries: false, drain: true };
    for (const a of found) acts.push({ a, file: p });
  }
  const reboot = acts.find((x) => x.a.type === 'Reboot');
  if (reboot) return { actions: ['Reboot'], action: 'reboot', decidedBy: reboot.file, judgeRegistries: false, drain: true };
  const real = acts.filter((x) => x.a.type !== 'None');
  if (real.length === 0) return { actions: ['None'], action: 'none', judgeRegistries: false, drain: false };
  const restart = real.find((x) => x.a.type === 'Restart' && 'serviceName' in x.a && x.a.serviceName === 'crio.service');
  const crio = restart ?? real.find((x) => x.a.type === 'Special' || ('serviceName' in x.a && x.a.serviceName === 'crio.service'));
  return {
    actions: real.map((x) => describeNdp(x.a)),
    action: restart ? 'restart crio' : crio ? 'reload crio' : 'none',
    decidedBy: (crio ?? real[0]).file,
    judgeRegistries: real.some((x) => x.a.type === 'Special'),
    drain: real.some((x) => x.a.type === 'Drain'),
  };
}

function summaryLine(i: Omit<RolloutImpact, 'summary'>): string {
  const pool = `pool ${i.pool}`;
  if (i.error) return `the update of ${pool} fails and its nodes go Degraded: ${i.error}`;
  if (i.changedFiles.length === 0 && !i.decidedBy) return `no change for ${pool}`;
  const by = i.decidedBy ? `: ${i.decidedBy} changed` : '';
  const why = i.drainReason ? ` (${i.drainReason})` : '';
  const drainWord = i.drain ? ', draining each first' : ' without a drain';
  switch (i.action) {
    case 'reboot':
      return `reboots every node of ${pool}, draining each first${by}`;
    case 'reload crio':
    case 'restart crio': {
      const verb = i.mode === 'file lists' && i.actions.length > 1 ? 'reloads or restarts CRI-O (whichever file the daemon meets last)' : i.action === 'reload crio' ? 'reloads CRI-O' : 'restarts CRI-O';
      return `${verb} on every node of ${pool}${drainWord}${by}${why}`;
    }
    default: {
      const services = i.actions.filter((a) => a !== 'none' && a !== 'None');
      if (services.length > 0) return `runs ${services.join(', ')} on every node of ${pool}${drainWord}${by}`;
      return `nothing to do on the nodes of ${pool}${by}`;
    }
  }
}

/** The daemon's verdict for moving a pool from one rendered MachineConfig to the next, as release `openshift` does it. */
export function rolloutImpact(old: RenderedMachineConfig, next: RenderedMachineConfig, opts: { openshift: string; pool: string }): RolloutImpact {
  const minor = minorOf(opts.openshift);
  const files = changedFiles(old, next);
  const mode: RolloutImpact['mode'] = minor >= 17 ? 'node disruption policies' : 'file lists';
  const field = rebootField(old.reboot, next.reboot);
  const decision: Decision = field
    ? { actions: [mode === 'file lists' ? 'reboot' : 'Reboot'], action: 'reboot', decidedBy: `MachineConfig ${field}`, judgeRegistries: false, drain: true }
    : mode === 'file lists' ? fileListDecision(files, minor) : policyDecision(files, minor, next.nodeDisruptionFiles);
  let drain = decision.drain;
  let drainReason: string | undefined;
  let error: string | undefined;
  if (decision.judgeRegistries) {
    if (next.drainOverride) {
      drainReason = text('mcd.drain-override', DRAIN_OVERRIDE);
    } else {
      try {
        const verdict = registriesChangeVerdict(old.files.get(REGISTRIES_CONF_PATH)?.content ?? '', next.files.get(REGISTRIES_CONF_PATH)?.content ?? '', minor >= 13);
        drain = !verdict.safe;
        drainReason = verdict.reason;
      } catch (e) {
        if (!(e instanceof ClusterObjectError)) throw e;
        error = e.message;
      }
    }
  }
  const impact = { pool: opts.pool, mode, actions: decision.actions, action: decision.action, drain, decidedBy: decision.decidedBy, drainReason, changedFiles: files, error };
  return { ...impact, summary: summaryLine(impact) };
}
