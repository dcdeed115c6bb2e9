#!/usr/bin/env node
// Regenerates test/fixtures/skopeo-crosscheck/*.json: the real skopeo pulling from a scenario's
// fake registries (bound as `pullsim serve` binds them, loopback only), with what it did.
// Needs root, `apt-get install -y skopeo`, and `npm run build` first. Not run by CI; the test
// test/sim/skopeo-crosscheck.test.ts reads the fixtures and needs no skopeo.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadScenarioFile } = await import(join(repo, 'dist/src/scenario/index.js'));
const { realSkopeoCopy, realSkopeoUnavailable, skopeoVersion, startRealNode } = await import(join(repo, 'dist/bench/real-skopeo.js'));

/** name → conformance scenario (runtime skopeo, one pull each). */
const CASES = {
  'http-registry-not-insecure': 'test/conformance/tls/001-http-no-insecure.yaml',
  'https-unknown-ca': 'test/conformance/tls/013-https-no-ca.yaml',
  'https-ca-in-certs-d': 'test/conformance/tls/015-https-ca-certsd.yaml',
  'https-host-down': 'test/conformance/tls/029-https-down-host.yaml',
  'basic-auth-none': 'test/conformance/auth/153-auth-none.yaml',
  'basic-auth-ok': 'test/conformance/auth/157-auth-ok.yaml',
  'bearer-anonymous-private-repo': 'test/conformance/token/180-token-anon-private.yaml',
  'bearer-wrong-password': 'test/conformance/token/183-token-wrong-password.yaml',
  'manifest-unknown-tag': 'test/conformance/manifest/187-manifest-unknown-tag.yaml',
};

const why = realSkopeoUnavailable();
if (why) {
  console.error(`skopeo-crosscheck: ${why}`);
  process.exit(2);
}
const version = skopeoVersion();
const only = process.argv.slice(2);
for (const [name, scenarioPath] of Object.entries(CASES)) {
  if (only.length && !only.includes(name)) continue;
  const node = await startRealNode(loadScenarioFile(join(repo, scenarioPath)));
  try {
    const pull = node.scenario.pulls[0];
    const r = await realSkopeoCopy(node, pull, pull.image);
    const fixture = {
      name,
      scenario: scenarioPath,
      pull: 0,
      skopeo: version,
      hosts: node.hosts,
      command: r.command,
      exitCode: r.exitCode,
      // logrus stamps each line; the time is the one part that changes between runs.
      stderr: r.stderr.replace(/time="[^"]*"/g, 'time="…"'),
      error: r.error ?? null,
    };
    writeFileSync(join(repo, 'test/fixtures/skopeo-crosscheck', `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
    console.log(`${name}: exit ${r.exitCode}${r.error ? `: ${r.error}` : ''}`);
  } finally {
    await node.close();
  }
}
