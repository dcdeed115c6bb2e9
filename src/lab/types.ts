/**
 * The `lab:` section of a scenario file: what turns a scenario into an exercise a student does.
 * The scenario's node files and cluster objects are the broken starting state; its pulls (with
 * their `expect`, the node's exact error) stay in the definition, out of the student's reach.
 */
import type { Expectation } from '../scenario/types.js';

/** A file written into the workspace: text, or material the scenario generates. */
export type WorkspaceFileSpec = string | { ca: string } | { publicKey: string };

/** A change to the workspace: files written (paths relative to it) and files removed. */
export interface WorkspaceChange {
  files: Record<string, WorkspaceFileSpec>;
  remove: string[];
}

export interface ExplainCondition {
  image: string;
  /** Some source of the image is (or is not) marked insecure. */
  insecure?: boolean;
  /** Some source is (or is not) blocked. */
  blocked?: boolean;
  /** Some mirror is (or is not) skipped for this reference. */
  mirrorSkipped?: boolean;
  /** Some source finds (or finds no) CA file in its certs.d directory. */
  caFiles?: boolean;
}

/** Every condition given must hold for a trap to fire; a trap fires only on a pull that misses its goal. */
export interface TrapMatcher {
  /** Index into `pulls` (default: any pull that missed its goal). */
  pull?: number;
  result?: 'pulled' | 'failed';
  from?: string;
  /** Substring of the pull's final error. */
  error?: string;
  /** Substring of one of the pull's notes (kubelet warnings, MCO and daemon messages). */
  note?: string;
  /** "none": every attempt went anonymous; otherwise a substring of some attempt's credential. */
  credential?: string;
  /** A workspace file matching this glob exists (`*` within a name, `**` across folders). */
  file?: string;
  /** No workspace file matches this glob. */
  noFile?: string;
  /** A cluster object of the workspace with this kind (and name, namespace) exists. */
  object?: { kind: string; name?: string; namespace?: string };
  /** What `explain` decides for an image on the student's node. */
  explain?: ExplainCondition;
}

export interface Trap {
  id: string;
  when: TrapMatcher;
  feedback: string;
  /** A wrong fix that falls into this trap, proven by `lab validate`. */
  example: WorkspaceChange;
}

export interface Alternative extends WorkspaceChange {
  name: string;
}

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;

export interface LabSpec {
  id: string;
  title: string;
  topic: string;
  level: (typeof LEVELS)[number];
  task: string;
  /** Workspace paths (folders end with /) the student is meant to edit. */
  editable: string[];
  /** Files handed to the student at the workspace root (a CA the registry's admin sent, …). */
  handout: Record<string, WorkspaceFileSpec>;
  /** One per pull, in the order of `pulls`: what the fixed node must do. */
  goals: Expectation[];
  hints: string[];
  traps: Trap[];
  solution: WorkspaceChange;
  /** Other correct fixes, each proven by `lab validate`. */
  alternatives: Alternative[];
  /** 1-based line of the `lab:` key, for messages. */
  line: number;
}
