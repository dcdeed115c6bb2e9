/**
 * What newDockerClient decides for one physical endpoint: it looks the physical repository name up
 * in registries.conf again, so a mirror is blocked or insecure only through the entry its own
 * location falls under, never through the primary's.
 */
import type { RegistriesConfig } from '../config/registries-conf.js';
import { RegistriesConfError, fail } from '../errors/index.js';
import { refName, type ImageRef } from '../reference/reference.js';
import { findRegistry } from './registry-index.js';

export interface EndpointAccess {
  blocked: boolean;
  /** The matching entry's insecure flag (newImageSourceAttempt then replaces it with the pull source's own flag). */
  insecure: boolean;
  /** The matching entry's prefix, or undefined when no entry matches. */
  prefix?: string;
}

/** newDockerClient's registries.conf lookup for a physical reference. */
export function endpointAccess(config: RegistriesConfig, physical: ImageRef): EndpointAccess {
  const reg = findRegistry(config.index, refName(physical));
  return reg ? { blocked: reg.blocked, insecure: reg.insecure, prefix: reg.prefix } : { blocked: false, insecure: false };
}

/** `registry <prefix> is blocked in <ConfigPath> or <ConfigDirPath>`: the user drop-in directory even when a system drop-in blocked it. */
export function blockedError(config: RegistriesConfig, prefix: string): RegistriesConfError {
  return fail(RegistriesConfError, 'conf.blocked', prefix, config.paths.configPath, config.paths.describedDirPath);
}
