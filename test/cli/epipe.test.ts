import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('a reader that goes away early ends the output quietly (bin/pullsim.js)', () => {
  it('`pullsim --help | true`: no stack trace, exit 0', async () => {
    const child = spawn(process.execPath, ['bin/pullsim.js', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our end before the CLI writes: its write then fails with EPIPE, as under `| head`.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
