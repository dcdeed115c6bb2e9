/**
 * imagePullPolicy as the kubelet applies it (images/image_manager.go imagePullPrecheck): Always
 * skips the presence check; IfNotPresent and Never use a present image; Never never pulls.
 */
import { defaultPullPolicy } from '../openshift/pod-containers.js';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export type PolicyDecision = 'use-present' | 'pull' | 'never-pull';

/** The policy a container gets when its spec names none (the API server's SetDefaults_Container). */
export function effectivePullPolicy(image: string, policy: PullPolicy | undefined): PullPolicy {
  return policy ?? defaultPullPolicy(image);
}

export function decidePull(policy: PullPolicy, present: boolean): PolicyDecision {
  if (policy !== 'Always' && present) return 'use-present';
  return policy === 'Never' ? 'never-pull' : 'pull';
}
