import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { cli } from './cli-harness.js';

const NAMES = Object.keys(COMMANDS);

describe('help: each way of asking prints that command\'s usage on stdout, exit 0', () => {
  it.each(NAMES.flatMap((c) => [[c, [c, '--help']], [c, [c, '-h']], [c, ['help', c]], [c, [c, 'some/file.yaml', '-h']]]))('%s: pullsim %j', async (command, argv) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith(`usage: pullsim ${command} `)).toBe(true);
  });

  it.each(NAMES)('%s: every flag the parser accepts is listed', async (command) => {
    const r = await cli([command, '--help']);
    for (const flag of Object.keys(COMMANDS[command as keyof typeof COMMANDS].flags)) expect(r.stdout).toContain(`--${flag}`);
  });

  it('run lists --no-color', async () => {
    expect((await cli(['run', '--help'])).stdout).toMatch(/--no-color +no colour/);
  });

  it('-h after -- is a file name, not a request for help', async () => {
    const r = await cli(['run', '--', '-h']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file or folder: -h');
  });

  it.each([['--help'], ['-h'], ['help']])('pullsim %s lists every command', async (a) => {
    const r = await cli([a]);
    expect(r.code).toBe(0);
    for (const c of NAMES) expect(r.stdout).toContain(`\n  ${c} `);
  });

  it('help for an unknown command is bad input', async () => {
    const r = await cli(['help', 'frob']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('help: unknown command "frob"');
  });
});

describe('--version', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r).toEqual({ code: 0, stdout: `pullsim ${version}\n`, stderr: '' });
  });
});

describe('a mistyped flag gets the closest accepted one', () => {
  it.each([
    [['run', '--jsn'], '--jsn; did you mean --json?'],
    [['run', '--no-colour'], '--no-colour; did you mean --no-color?'],
    [['explain', 'a.example.com/b:1', '--rot', '/'], '--rot; did you mean --root?'],
    [['render', 'x.yaml', '--dif', 'y.yaml'], '--dif; did you mean --diff?'],
  ])('pullsim %j', async (argv, text) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
  });

  it('no guess when nothing is close', async () => {
    const r = await cli(['run', '--frobnicate']);
    expect(r.stderr).not.toContain('did you mean');
    expect(r.stderr).toContain('accepted: --json, --jobs, --no-color');
  });
});
