#!/usr/bin/env node
// Refreshes test/conformance from ../shared/conformance: the shared files are the observations of the
// real tools, and the copy lets a clone without ../shared still run them.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = process.argv[2] ?? join(root, '..', 'shared', 'conformance');
const to = join(root, 'test', 'conformance');
if (!existsSync(from)) {
  console.error(`refresh-conformance: ${from} does not exist; pass the shared conformance folder as the first argument`);
  process.exit(2);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
console.log(`refreshed ${to} from ${from}`);
