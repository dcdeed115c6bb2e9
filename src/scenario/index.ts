export { loadScenarioFile, loadScenarioText } from './load.js';
export { collectScenarioFiles } from './collect.js';
export { substitutePlaceholders, type PlaceholderValues } from './substitute.js';
export { scanPlaceholders, type Placeholder, type PlaceholderKind } from './placeholders.js';
export type * from './types.js';
