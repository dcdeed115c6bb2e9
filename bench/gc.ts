/**
 * A forced garbage collection for heap figures, without making every caller start node with
 * --expose-gc: V8 exposes `gc` to contexts created after the flag is set.
 */
import { getHeapCodeStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function obtainGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export const gc: () => void = obtainGc();

/** Heap in use after a full collection. */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap in use once collections stop freeing anything: closed sockets and other native handles
 * let go of their JS objects only after a turn of the event loop, so one collection right after
 * a run can leave a previous run's garbage counted in the next figure.
 */
export async function settledHeap(): Promise<number> {
  let last = heapAfterGc();
  for (let i = 0; i < 8; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = heapAfterGc();
    if (Math.abs(now - last) < 16 * 1024) return now;
    last = now;
  }
  return last;
}

/**
 * settledHeap less V8's compiled code and bytecode with their metadata (deoptimisation data,
 * relocation info, source positions). How much optimised code V8 holds follows how long the
 * last stretch of work ran and what it ran before, a few hundred KiB either way between two
 * identical runs: heap figures meant to show a program's own data take it out.
 */
export async function settledDataHeap(): Promise<number> {
  const heap = await settledHeap();
  const code = getHeapCodeStatistics();
  return heap - code.code_and_metadata_size - code.bytecode_and_metadata_size;
}
