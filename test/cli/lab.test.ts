import { describe, expect, it } from 'vitest';
import { cli } from './cli-harness.js';

describe('pullsim lab', () => {
  it('without an argument lists every bundled lab with its title', async () => {
    const r = await cli(['lab']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenarios/labs/01-nexus-http-by-ip.yaml');
    expect(r.stdout).toContain('Nexus over plain HTTP, addressed by IP');
  });

  it("with a file tells the story from its description, then runs it", async () => {
    const r = await cli(['lab', 'scenarios/labs/01-nexus-http-by-ip.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout.indexOf('The platform engineer deployed a pod')).toBeLessThan(r.stdout.indexOf('PASS Nexus over plain HTTP'));
    expect(r.stdout).toContain('http: server gave HTTP response to HTTPS client');
  });

  it('a flag it does not know is bad input', async () => {
    const r = await cli(['lab', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown flag --json');
  });
});
