/**
 * The yaml package, loaded on first use: it is the largest module a command without scenario or
 * manifest files would otherwise load at start (`pullsim compare TREE TREE --images LIST` never
 * parses YAML). The package's Node entry is CommonJS, so a require gives the same instance an
 * import would.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
