import type { NodeFS } from '../node-fs.js';
import type { Network } from '../pull/pull-context.js';
import type { PullSpec } from '../scenario/types.js';

/** What a runtime needs to emulate one pull: the node, the fake network, and the pull as the scenario wrote it. */
export interface RuntimeInput {
  fs: NodeFS;
  net: Network;
  pull: PullSpec;
  /** The image string as written in the pod spec or on the command line. */
  image: string;
}
