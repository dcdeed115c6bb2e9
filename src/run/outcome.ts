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

/** An ImageStream import: what `oc import-image` reported. */
export interface ImportRecord {
  namespace: string;
  stream: string;
  tag: string;
  /** The tag condition's reason (Unauthorized, NotFound, ...), Invalid for a refused request; null when imported or refused by oc itself. */
  reason: string | null;
  oc: { stdout: string; stderr: string; exitCode: number };
  /** oc's output as a terminal shows both streams. */
  transcript: string;
  /** The tag's reference policy after the import (what pods resolving it get). */
  referencePolicy: 'Source' | 'Local';
  /** The imported image's pull spec by digest (at its source). */
  dockerImageReference?: string;
}

export interface PullOutcome {
  image: string;
  /** For pod pulls: which container of the pod this is. */
  container?: string;
  /** `imported` only for ImageStream imports. */
  result: 'pulled' | 'failed' | 'imported';
  /** Set for ImageStream imports. */
  import?: ImportRecord;
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
  /** ImageStream imports that succeeded. */
  imported: number;
  failed: number;
  expectationsMet: number;
  expectationsFailed: number;
}
