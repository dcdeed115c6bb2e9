import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness.js';
import { startLab, tempRoot } from './lab-harness.js';

// Passwords and base64 auth values the private-project labs use (task text and Secrets).
const SECRETS = ['s3cret-Pa55', 'YWxpY2U6czNjcmV0LVBhNTU=', '0ld-Pa55w0rd', 'B0t-pass', 'Y2ktYm90OkIwdC1wYXNz', 'b3BlbnNoaWZ0LXJlbGVhc2UtZGV2OnRva2Vu'];

function assertNoSecret(where: string, text: string): void {
  for (const s of SECRETS) expect(text.includes(s), `${where} shows ${s}`).toBe(false);
}

describe('lab reports never show a secret, whatever the format', () => {
  const labs: Array<[string, Record<string, string>]> = [
    ['wrong-password', {}],
    ['private-pod-secret', { 'cluster/02-secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: prj-pull\n  namespace: shop\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \'{"auths":{"registry.lab.example:5443":{"auth":"YWxpY2U6czNjcmV0LVBhNTU="}}}\'\n' }],
    ['cluster-pull-secret', {}],
  ];
  it.each(labs)('%s: text, --json, --junit, solution and validate', async (id, files) => {
    const ws = await startLab(id);
    ws.write(files);
    const junit = join(tempRoot(), 'r.xml');
    const outputs: Record<string, string> = {
      text: (await cli(['lab', 'check', ws.dir])).stdout,
      json: (await cli(['lab', 'check', ws.dir, '--json', '--junit', junit])).stdout,
      junit: readFileSync(junit, 'utf8'),
      solution: (await cli(['lab', 'solution', ws.dir])).stdout,
      hint: (await cli(['lab', 'hint', ws.dir])).stdout,
      progress: readFileSync(join(ws.dir, '.pullsim-lab.json'), 'utf8'),
    };
    for (const [where, text] of Object.entries(outputs)) assertNoSecret(where, text);
    // The check really ran with the credentials: the reports describe them, redacted.
    expect(outputs.json).toMatch(/"credential": "user alice|"credential": "user ci-bot|"credential": null/);
  });
});
