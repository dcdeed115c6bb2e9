/**
 * client-go flowcontrol.Backoff as the kubelet's image manager uses it
 * (NewBackOff(backOffPeriod=10s, MaxImageBackOff=300s), no jitter): the first failure waits 10s,
 * each further one doubles it up to 300s; an entry idle for more than twice the maximum starts over.
 */
export const IMAGE_BACKOFF_INITIAL_MS = 10_000;
export const IMAGE_BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly initialMs = IMAGE_BACKOFF_INITIAL_MS,
    readonly maxMs = IMAGE_BACKOFF_MAX_MS,
  ) {}

  private expired(nowMs: number, e: Entry): boolean {
    return nowMs - e.lastUpdateMs > this.maxMs * 2;
  }

  /** Records a failure at nowMs and widens the window. */
  next(id: string, nowMs: number): void {
    const e = this.entries.get(id);
    if (!e || this.expired(nowMs, e)) this.entries.set(id, { backoffMs: this.initialMs, lastUpdateMs: nowMs });
    else this.entries.set(id, { backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdateMs: nowMs });
  }

  /** IsInBackOffSinceUpdate: less than the current window has passed since the last failure. */
  isInBackOffSinceUpdate(id: string, nowMs: number): boolean {
    const e = this.entries.get(id);
    if (!e || this.expired(nowMs, e)) return false;
    return nowMs - e.lastUpdateMs < e.backoffMs;
  }

  /** The current window, 0 when there is none. */
  get(id: string): number {
    return this.entries.get(id)?.backoffMs ?? 0;
  }
}
