#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// A reader that goes away early (`pullsim render … | head`) ends the output quietly, as a Go tool ends on
// SIGPIPE: never a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
