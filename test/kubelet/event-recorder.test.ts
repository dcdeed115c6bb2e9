import { describe, expect, it } from 'vitest';
import { describeEvents, EventRecorder, type EventRow } from '../../src/kubelet/event-recorder.js';

const S = 1000;

describe('eventObserve: the same type, reason and message is one Event with a count', () => {
  it.each([
    [[0], 600 * S, '10m', 1],
    [[0, 10 * S], 600 * S, '9m50s (x2 over 10m)', 2],
    [[0, 10 * S, 80 * S, 150 * S], 600 * S, '7m30s (x4 over 10m)', 4],
    [[500, 1500], 2 * S, '1s (x2 over 2s)', 2],
  ])('occurrences at %j, described at %d ms → age %s', (times, now, age, count) => {
    const r = new EventRecorder();
    for (const t of times) r.record(t, 'Warning', 'Failed', 'Error: ErrImagePull');
    expect(r.rows(now)).toEqual([{ type: 'Warning', reason: 'Failed', age, from: 'kubelet', message: 'Error: ErrImagePull', count }]);
  });

  it('different messages under one reason stay separate events', () => {
    const r = new EventRecorder();
    r.record(0, 'Warning', 'Failed', 'Error: ErrImagePull');
    r.record(0, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    expect(r.rows(0).map((e) => e.message)).toEqual(['Error: ErrImagePull', 'Error: ImagePullBackOff']);
  });
});

describe('kubectl sorts by lastTimestamp (seconds); same-second events keep first-occurrence order', () => {
  it.each([
    [[['a', 0], ['b', 100], ['a', 5 * S]], ['b', 'a']],
    [[['a', 0], ['b', 100], ['a', 900]], ['a', 'b']],
    [[['b', 0], ['a', 0]], ['b', 'a']],
  ] as [[string, number][], string[]][])('%j → %j', (events, order) => {
    const r = new EventRecorder();
    for (const [m, t] of events) r.record(t, 'Normal', 'X', m);
    expect(r.rows(10 * S).map((e) => e.message)).toEqual(order);
  });
});

describe('the spam filter: 25 events per pod, then one every 300s; filtered occurrences still count', () => {
  it('the 26th event of a burst is not written', () => {
    const r = new EventRecorder();
    for (let i = 0; i < 26; i++) r.record(0, 'Normal', `X${i}`, 'm');
    expect(r.rows(0)).toHaveLength(25);
  });

  it.each([
    [299 * S, 1],
    [300 * S, 2],
  ])('a burst of one, the same event again at %d ms → written count %d', (later, count) => {
    const r = new EventRecorder('kubelet', 1, 1 / 300);
    r.record(0, 'Normal', 'BackOff', 'm');
    r.record(later, 'Normal', 'BackOff', 'm');
    expect(r.rows(later)[0].count).toBe(count);
  });

  it('a write after filtered occurrences carries their count and the first timestamp', () => {
    const r = new EventRecorder('kubelet', 1, 1 / 300);
    r.record(0, 'Normal', 'BackOff', 'm');
    r.record(100 * S, 'Normal', 'BackOff', 'm');
    r.record(400 * S, 'Normal', 'BackOff', 'm');
    expect(r.rows(600 * S)[0]).toMatchObject({ count: 3, age: '3m20s (x3 over 10m)' });
  });

  // One bucket for the pod, refilled continuously: the token that accrues at 300s goes to the first
  // event after it, whatever its reason; the pod-sync's phase decides which one that is.
  it.each([
    [[['BackOff', 290], ['Pulling', 301], ['BackOff', 305]], { Pulling: 2, BackOff: undefined }],
    [[['BackOff', 300], ['Pulling', 301], ['BackOff', 305]], { Pulling: 1, BackOff: 1 }],
    [[['Pulling', 150], ['Pulling', 450], ['BackOff', 451]], { Pulling: 3, BackOff: undefined }],
  ] as [[string, number][], Record<string, number | undefined>][])('a burst of one after Pulling at 0, then %j → written counts %j', (events, counts) => {
    const r = new EventRecorder('kubelet', 1, 1 / 300);
    r.record(0, 'Normal', 'Pulling', 'p');
    for (const [reason, s] of events) r.record(s * S, 'Normal', reason, reason === 'Pulling' ? 'p' : 'b');
    const rows = r.rows(600 * S);
    for (const [reason, count] of Object.entries(counts)) expect(rows.find((e) => e.reason === reason)?.count, reason).toBe(count);
  });

  it('an event whose every occurrence was filtered is not shown', () => {
    const r = new EventRecorder('kubelet', 1, 1 / 300);
    r.record(0, 'Normal', 'A', 'a');
    r.record(10 * S, 'Normal', 'B', 'b');
    expect(r.rows(20 * S).map((e) => e.reason)).toEqual(['A']);
  });
});

describe("describeEvents: kubectl describe's tabwriter layout", () => {
  const row = (type: EventRow['type'], reason: string, age: string, message: string): EventRow => ({ type, reason, age, from: 'kubelet', message, count: 1 });
  it.each([
    [[], 'Events:  <none>'],
    [
      [row('Normal', 'Pulling', '5s', 'Pulling image "x"'), row('Warning', 'Failed', '2m (x4 over 10m)', 'Error: ErrImagePull')],
      [
        'Events:',
        '  Type     Reason   Age               From     Message',
        '  ----     ------   ----              ----     -------',
        '  Normal   Pulling  5s                kubelet  Pulling image "x"',
        '  Warning  Failed   2m (x4 over 10m)  kubelet  Error: ErrImagePull',
      ].join('\n'),
    ],
  ])('%j', (rows, want) => {
    expect(describeEvents(rows)).toBe(want);
  });
});

describe('the aggregator: the 10th distinct message of one type and reason within 10 minutes is combined', () => {
  const burst = (r: EventRecorder, n: number, gapMs: number) => {
    for (let i = 0; i < n; i++) r.record(i * gapMs, 'Warning', 'Failed', `m${i}`);
  };
  it.each([
    [9, 1000, 9, undefined],
    [10, 1000, 9, '(combined from similar events): m9'],
    [12, 1000, 9, '(combined from similar events): m11'],
    [12, 601 * S, 12, undefined],
  ])('%d messages %d ms apart → %d plain rows, combined %s', (n, gap, plain, combined) => {
    const r = new EventRecorder();
    burst(r, n, gap);
    const rows = r.rows(n * gap);
    expect(rows.filter((e) => !e.message.startsWith('(combined'))).toHaveLength(plain);
    expect(rows.find((e) => e.message.startsWith('(combined'))?.message).toBe(combined);
    if (combined) expect(rows.find((e) => e.message === combined)!.count).toBe(n - 9);
  });

  it('the same message again and again never aggregates', () => {
    const r = new EventRecorder();
    for (let i = 0; i < 20; i++) r.record(i * S, 'Warning', 'Failed', 'same');
    expect(r.rows(20 * S).map((e) => [e.message, e.count])).toEqual([['same', 20]]);
  });
});
