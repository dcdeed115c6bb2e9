/**
 * Where the MCO's rendering differs between OpenShift releases (read from the release-4.x branches of
 * machine-config-operator and the openshift/runtime-utils version each one vendors).
 */

/** OKD/OCP 4.15: the release the reference node (openshift-examples.md) ran. */
export const DEFAULT_OPENSHIFT = '4.15';

export interface ReleaseRules {
  release: string;
  /**
   * runtime-utils before bb75088 (vendored through release-4.12) wrote `mirror-by-digest-only = true` on
   * the source entry; from 4.13 each mirror gets `pull-from-mirror = "digest-only"` / `"tag-only"`.
   */
  perMirrorPullFrom: boolean;
  /** ImageDigestMirrorSet / ImageTagMirrorSet exist from 4.13. */
  mirrorSetKinds: boolean;
  /** Mirrors copied into nested sub-scopes (runtime-utils ce6e06e, vendored from release-4.11). */
  nestedMirrors: boolean;
  /** 4.16+ validates sources and mirrors with sourceRegex/mirrorRegex ("invalid format for …"). */
  regexMirrorValidation: boolean;
  /** 4.15+ names ImageContentSourcePolicies in the conflicting-mirrorSourcePolicy text. */
  longConflictText: boolean;
}

/**
 * Rules for "4.N"; pullsim knows 4.10 to 4.19. Releases 4.1 to 4.9 are accepted for what differs
 * elsewhere (the image importer's credential lookup up to 4.4) and render as 4.10 does, whose
 * flags below are all at their oldest value.
 */
export function releaseRules(release: string): ReleaseRules | undefined {
  const m = /^4\.(\d+)$/.exec(release);
  if (!m) return undefined;
  const minor = Number(m[1]);
  if (minor < 1 || minor > 19) return undefined;
  return {
    release,
    perMirrorPullFrom: minor >= 13,
    mirrorSetKinds: minor >= 13,
    nestedMirrors: minor >= 11,
    regexMirrorValidation: minor >= 16,
    longConflictText: minor >= 15,
  };
}
