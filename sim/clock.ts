/** Time as the fake servers see it, so tests can hold a `delayMs` fault without waiting for real. */
export interface Clock {
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private now = 0;
  private readonly waiting: Array<{ at: number; wake: () => void }> = [];

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.waiting.push({ at: this.now + ms, wake });
      this.waiting.sort((a, b) => a.at - b.at);
    });
  }

  /** Sleepers currently waiting. */
  get pending(): number {
    return this.waiting.length;
  }

  advance(ms: number): void {
    this.now += ms;
    while (this.waiting.length && this.waiting[0]!.at <= this.now) this.waiting.shift()!.wake();
  }
}
