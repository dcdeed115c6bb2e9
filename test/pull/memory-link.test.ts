/**
 * pullsim's own client reaches a fake server of the same process through a MemorySocket pair
 * instead of loopback TCP (src/pull/memory-link.ts). What it carries must be what TCP carries:
 * every bundled scenario and the pulls bench's scenarios report the same with either, and the
 * pair keeps a socket's order of events (the peer reads after the writer's callbacks, the close
 * comes behind the bytes sent before it).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it, vi } from 'vitest';
import { PULLS_RUNTIMES, pullsScenario } from '../../bench/pulls-bench.js';
import { MEMORY_LINK_CHANNEL, MemorySocket } from '../../src/pull/memory-link.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { collectScenarioFiles, loadScenarioFile } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';

const mode = vi.hoisted(() => ({ tcpOnly: false }));

// With tcpOnly, every fake server leaves its in-memory door unset, as a server with socket faults does.
vi.mock('../../sim/fake-server.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../sim/fake-server.js')>();
  return {
    ...real,
    startFakeServer: async (...args: Parameters<typeof real.startFakeServer>) => {
      const server = await real.startFakeServer(...args);
      return mode.tcpOnly ? { ...server, attach: undefined } : server;
    },
  };
});

/** The wall clock's second, as reports print it (an import's dockerRepositoryCheck): two runs may straddle one. */
const WALL_CLOCK = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g;

/** The scenario's report (its JSON form, as `run --json` prints it, the wall clock's reading blanked) and how many pulls went in memory. */
async function runVia(tcpOnly: boolean, s: Scenario): Promise<{ report: string; links: number }> {
  mode.tcpOnly = tcpOnly;
  let links = 0;
  const onLink = () => links++;
  subscribe(MEMORY_LINK_CHANNEL, onLink);
  try {
    return { report: JSON.stringify(await runScenario(s)).replace(WALL_CLOCK, 'WALL-CLOCK'), links };
  } finally {
    unsubscribe(MEMORY_LINK_CHANNEL, onLink);
    mode.tcpOnly = false;
  }
}

describe('a connection in memory carries what loopback TCP carries', () => {
  const bundled = collectScenarioFiles(['scenarios']);

  it('finds the bundled scenarios', () => {
    expect(bundled.length).toBeGreaterThan(20);
  });

  it.each(bundled)('%s reports the same either way', async (file) => {
    const s = loadScenarioFile(file);
    const tcp = await runVia(true, s);
    const memory = await runVia(false, s);
    expect(tcp.links).toBe(0);
    expect(memory.report).toBe(tcp.report);
  });

  it.each(PULLS_RUNTIMES)('the pulls bench scenario (%s) reports the same either way, in memory', async (runtime) => {
    const s = pullsScenario(28, runtime);
    const tcp = await runVia(true, s);
    const memory = await runVia(false, s);
    expect(memory.links).toBeGreaterThan(0);
    expect(tcp.links).toBe(0);
    expect(memory.report).toBe(tcp.report);
  });
});

/** The events one end sees, in order. */
function record(end: MemorySocket): string[] {
  const seen: string[] = [];
  end.on('data', (d: Buffer) => seen.push(`data ${d.toString()}`));
  end.on('end', () => seen.push('end'));
  end.on('close', () => seen.push('close'));
  return seen;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('a MemorySocket pair keeps a socket’s order of events', () => {
  it('the peer reads the bytes after the write has completed, never inside it', async () => {
    const [client, server] = MemorySocket.pair({ address: '127.0.0.1', port: 1 });
    const seen = record(server);
    const order: string[] = [];
    client.write('GET / HTTP/1.1\r\n\r\n', () => order.push(`written, peer saw ${seen.length}`));
    expect(seen).toEqual([]);
    await settle();
    expect(order).toEqual(['written, peer saw 0']);
    expect(seen).toEqual(['data GET / HTTP/1.1\r\n\r\n']);
    expect(server.bytesRead).toBe(18);
    expect(client.bytesWritten).toBe(18);
  });

  it.each([
    ['end (FIN)', (s: MemorySocket) => s.end()],
    ['destroy', (s: MemorySocket) => s.destroy()],
  ])('%s after a write: the peer reads the bytes first, then the end, then closes', async (_name, close) => {
    const [client, server] = MemorySocket.pair({ address: '127.0.0.1', port: 1 });
    const seen = record(client);
    server.write('HTTP/1.1 400 Bad Request\r\n\r\n');
    close(server);
    await settle();
    expect(seen).toEqual(['data HTTP/1.1 400 Bad Request\r\n\r\n', 'end', 'close']);
    expect(client.destroyed).toBe(true);
  });

  it('setTimeout: an idle end says so once the time has passed without reads or writes', async () => {
    const [client, server] = MemorySocket.pair({ address: '127.0.0.1', port: 1 });
    let timedOut = 0;
    server.setTimeout(20, () => timedOut++);
    client.write('x');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(timedOut).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(timedOut).toBe(1);
    client.destroy();
  });
});
