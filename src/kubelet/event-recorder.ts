/**
 * The kubelet's events as the API server ends up holding them, and as `kubectl describe` shows them.
 *
 * client-go's EventCorrelator (tools/record/events_cache.go) runs on every event the kubelet records:
 * - EventAggregator: events of the same source, object, type and reason are "similar"; once 10
 *   distinct messages of one such group arrive with no gap over 10 minutes, the event becomes
 *   "(combined from similar events): <message>", one Event for the whole group. Go then forgets an
 *   arbitrary message of the group (sets.String PopAny); pullsim forgets the oldest;
 * - eventObserve: an event with the same source, object, type, reason and message as an earlier one
 *   is the same Event, its count raised and firstTimestamp kept; the count rises even when the
 *   event is then filtered, so the next one written carries the full count;
 * - EventSourceObjectSpamFilter: per source and object (the pod), a token bucket of 25 that refills
 *   one token every 300s; an event without a token is not written at all.
 * Timestamps are metav1.Time, written with second precision. kubectl sorts by lastTimestamp (events
 * of the same second stay in the order the server lists them: by name, i.e. by first occurrence) and
 * prints the age of lastTimestamp, with "(xN over <age of firstTimestamp>)" when count > 1.
 */
import { humanDuration } from './human-duration.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRow {
  type: EventType;
  reason: string;
  /** As kubectl prints it: "2m", or "2m (x4 over 10m)". */
  age: string;
  from: string;
  message: string;
  count: number;
}

interface Observed {
  type: EventType;
  reason: string;
  order: number;
  firstMs: number;
  count: number;
  /** What the API server holds: set once a write got through the spam filter. */
  written?: { count: number; lastMs: number; message: string };
}

export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
const COMBINED = '(combined from similar events): ';

export const SPAM_BURST = 25;
export const SPAM_QPS = 1 / 300;

/** golang.org/x/time/rate's limiter as TryAccept uses it: starts full, refills continuously. */
class TokenBucket {
  private tokens: number;
  private lastMs: number | undefined;

  constructor(private readonly burst: number, private readonly perSecond: number) {
    this.tokens = burst;
  }

  tryAccept(nowMs: number): boolean {
    const elapsed = this.lastMs === undefined ? 0 : Math.max(0, nowMs - this.lastMs);
    const tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.perSecond);
    if (tokens < 1) return false;
    this.tokens = tokens - 1;
    this.lastMs = nowMs;
    return true;
  }
}

const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

export class EventRecorder {
  private readonly observed = new Map<string, Observed>();
  private readonly similar = new Map<string, { messages: Set<string>; lastMs: number }>();
  private readonly spam: TokenBucket;

  constructor(readonly source = 'kubelet', burst = SPAM_BURST, qps = SPAM_QPS) {
    this.spam = new TokenBucket(burst, qps);
  }

  record(atMs: number, type: EventType, reason: string, recorded: string): void {
    const { key, message } = this.aggregate(atMs, type, reason, recorded);
    let o = this.observed.get(key);
    if (!o) {
      o = { type, reason, order: this.observed.size, firstMs: atMs, count: 0 };
      this.observed.set(key, o);
    }
    o.count++;
    // A write patches the message too: a combined Event shows the latest message that got through.
    if (this.spam.tryAccept(atMs)) o.written = { count: o.count, lastMs: atMs, message };
  }

  private aggregate(atMs: number, type: EventType, reason: string, message: string): { key: string; message: string } {
    const group = `${type}\u0000${reason}`;
    let g = this.similar.get(group);
    if (!g || atMs - g.lastMs > AGGREGATE_INTERVAL_MS) g = { messages: new Set(), lastMs: atMs };
    g.messages.add(message);
    g.lastMs = atMs;
    this.similar.set(group, g);
    if (g.messages.size < AGGREGATE_MAX_EVENTS) return { key: `${group}\u0000${message}`, message };
    g.messages.delete(g.messages.values().next().value!);
    return { key: group, message: COMBINED + message };
  }

  /** Events the API server holds, in kubectl describe's order, aged as seen at nowMs. */
  rows(nowMs: number): EventRow[] {
    const held = [...this.observed.values()].filter((o) => o.written);
    held.sort((a, b) => seconds(a.written!.lastMs) - seconds(b.written!.lastMs) || a.order - b.order);
    return held.map((o) => {
      const { count, lastMs, message } = o.written!;
      const first = humanDuration(nowMs - seconds(o.firstMs));
      const age = count > 1 ? `${humanDuration(nowMs - seconds(lastMs))} (x${count} over ${first})` : first;
      return { type: o.type, reason: o.reason, age, from: this.source, message: message.trim(), count };
    });
  }
}

/**
 * The "Events:" section of `kubectl describe`: text/tabwriter with minwidth 0, padding 2 and
 * spaces; the two-space indent belongs to the first cell and the message column is not padded.
 */
export function describeEvents(rows: EventRow[]): string {
  if (rows.length === 0) return 'Events:  <none>';
  const cells = [
    ['  Type', 'Reason', 'Age', 'From', 'Message'],
    ['  ----', '------', '----', '----', '-------'],
    ...rows.map((r) => [`  ${r.type}`, r.reason, r.age, r.from, r.message]),
  ];
  const width = (s: string) => [...s].length;
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => width(c[i]))) + 2);
  const lines = cells.map((c) => c.slice(0, 4).map((cell, i) => cell + ' '.repeat(widths[i] - width(cell))).join('') + c[4]);
  return ['Events:', ...lines].join('\n');
}
