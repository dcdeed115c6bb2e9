import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/kubelet/event-recorder.js';
import type { ScenarioReport } from '../../src/run/outcome.js';
import { jsonReport, summarize } from '../../src/run/report-json.js';
import { textReport } from '../../src/run/report-text.js';

const rows: EventRow[] = [
  { type: 'Normal', reason: 'Pulling', age: '5m20s (x5 over 10m)', from: 'kubelet', message: 'Pulling image "x"', count: 5 },
  { type: 'Warning', reason: 'Failed', age: '5m20s (x5 over 10m)', from: 'kubelet', message: 'Error: ErrImagePull', count: 5 },
];
const report = (eventTable?: EventRow[]): ScenarioReport[] => [{
  file: 'f.yaml', name: 'n', runtime: 'crio',
  pulls: [{ image: 'x', result: 'failed', from: null, digest: null, attempts: [], error: 'boom', events: rows.map((r) => r.message), ...(eventTable ? { eventTable } : {}), notes: [] }],
}];

describe('the event table in the reports', () => {
  it.each([
    [rows, rows],
    [undefined, undefined],
  ])('--json carries eventTable next to the events list', (table, want) => {
    const doc = JSON.parse(jsonReport(report(table), summarize(report(table))));
    expect(doc.scenarios[0].pulls[0].events).toEqual(['Pulling image "x"', 'Error: ErrImagePull']);
    expect(doc.scenarios[0].pulls[0].eventTable).toEqual(want);
  });

  it('the text report prints the describe-style table', () => {
    const out = textReport(report(rows), summarize(report(rows)), { color: false });
    expect(out).toContain([
      '    Events:',
      '      Type     Reason   Age                  From     Message',
      '      ----     ------   ----                 ----     -------',
      '      Normal   Pulling  5m20s (x5 over 10m)  kubelet  Pulling image "x"',
      '      Warning  Failed   5m20s (x5 over 10m)  kubelet  Error: ErrImagePull',
    ].join('\n'));
  });
});
