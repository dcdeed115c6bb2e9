import type { RunSummary, ScenarioReport } from './outcome.js';

/** The `pullsim run --json` document, exactly the contract's shape (fields may be added, never renamed). */
export function jsonReport(reports: ScenarioReport[], summary: RunSummary): string {
  const doc = {
    scenarios: reports.map((r) => ({
      file: r.file,
      name: r.name,
      runtime: r.runtime,
      ...(r.error !== undefined ? { error: r.error } : {}),
      pulls: r.pulls.map((p) => ({
        image: p.image,
        ...(p.container !== undefined ? { container: p.container } : {}),
        result: p.result,
        ...(p.import ? { reason: p.import.reason, import: p.import } : {}),
        from: p.from,
        digest: p.digest,
        attempts: p.attempts.map((a) => ({
          source: a.source,
          registry: a.registry,
          result: a.result,
          ...(a.error !== undefined ? { error: a.error } : {}),
          credential: a.credential,
        })),
        error: p.error,
        events: p.events,
        ...(p.eventTable ? { eventTable: p.eventTable } : {}),
        notes: p.notes,
        ...(p.expect ? { expect: p.expect } : {}),
      })),
    })),
    // `imported` appears only when a run has imports, so node-only documents keep their shape.
    summary: summary.imported > 0 ? summary : { pulls: summary.pulls, pulled: summary.pulled, failed: summary.failed, expectationsMet: summary.expectationsMet, expectationsFailed: summary.expectationsFailed },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function summarize(reports: ScenarioReport[]): RunSummary {
  const s: RunSummary = { pulls: 0, pulled: 0, imported: 0, failed: 0, expectationsMet: 0, expectationsFailed: 0 };
  for (const r of reports) {
    if (r.error !== undefined) s.expectationsFailed++;
    for (const p of r.pulls) {
      s.pulls++;
      if (p.result === 'pulled') s.pulled++;
      else if (p.result === 'imported') s.imported++;
      else s.failed++;
      if (p.expect?.met === true) s.expectationsMet++;
      else if (p.expect?.met === false) s.expectationsFailed++;
    }
  }
  return s;
}
