/** OpenShift cluster objects → node files (the MCO's part) and pod pull credentials (the kubelet's part). */
export { renderCluster, NODE_FILES, type RenderResult, type RenderedFile, type RenderOptions } from './render.js';
export { pullSecretsFor, type PullSecretSource, type PullContext } from './pull-secrets.js';
export { podContainers, defaultPullPolicy, type PodContainer } from './pod-containers.js';
export { renderReport, renderDiff } from './report.js';
export { DEFAULT_OPENSHIFT, releaseRules, type ReleaseRules } from './release.js';
export { DEFAULT_RELEASE_IMAGE } from './objects.js';
export { rolloutImpact, type RolloutImpact, type DaemonAction } from './rollout-impact.js';
