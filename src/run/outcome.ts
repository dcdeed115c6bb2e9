/**
 * What one pull did, in the terms of the `--json` contract (../shared/scenario-format.md).
 * Every runtime produces these; the reporters only format them.
 */
import type { EventRow } from '../kubelet/event-recorder.js';

export interface AttemptRecord {
  /** The physical reference tried (a mirror's rewritten reference or the primary). */
  source: string;
  /** Handle of the fake registry that host reached, or null when none has it. */
  registry: string | null;
  result: 'pulled' | 'failed';
  error?: string;
  /** Redacted description of the credential sent, null when anonymous. Never a secret. */
  credential: string | null;
}

export interface PullOutcome {
  image: string;
  /** For pod pulls: which container of the pod this is. */
  container?: string;
  result: 'pulled' | 'failed';
  /** Handle of the registry that served the manifest. */
  from: string | null;
  /** Manifest digest pulled (a multi-platform image: the chosen platform's manifest). */
  digest: string | null;
  attempts: AttemptRecord[];
  /** Final error as the kubelet event shows it after `Failed to pull image "X": ` (crio), or the tool's final error (podman, skopeo). */
  error: string | null;
  /** Kubelet events, as `kubectl describe` shows their messages (crio only). */
  events: string[];
  /** crio: the same events as `kubectl describe pod` lists them (type, reason, age, from, message, count). */
  eventTable?: EventRow[];
  /** Where the runtime's behaviour decided the outcome (e.g. "crio: short names are tried in order, never prompted"). */
  notes: string[];
}

export interface ExpectVerdict {
  met: boolean;
  /** One line per unmet field: what was expected, what happened. */
  failures?: string[];
}

export interface JudgedPull extends PullOutcome {
  /** Index of the scenario's pull entry this came from (a pod entry gives one pull per container). */
  pullIndex?: number;
  expect?: ExpectVerdict;
}

export interface ScenarioReport {
  file: string;
  name: string;
  runtime: string;
  pulls: JudgedPull[];
  /** Set when the scenario could not run at all (e.g. cluster objects rejected): the reason. */
  error?: string;
}

export interface RunSummary {
  pulls: number;
  pulled: number;
  failed: number;
  expectationsMet: number;
  expectationsFailed: number;
}
