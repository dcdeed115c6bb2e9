/** Plain-text tables for the bench reports: the first column left-aligned, figures right-aligned. */
export function formatTable(header: string[], rows: string[][], leftAligned: readonly number[] = [0]): string {
  const lines = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines
    .map((l) => l.map((c, i) => (leftAligned.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export function num(n: number | undefined, digits = 1): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}

export function bytes(n: number): string {
  return Math.abs(n) >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/** A printed (never asserted) target: what was measured against what was aimed for. */
export interface Target {
  name: string;
  measured: string;
  aim: string;
  met: boolean | undefined;
}

export function formatTargets(targets: readonly Target[]): string {
  return formatTable(
    ['target', 'measured', 'aim', 'met'],
    targets.map((t) => [t.name, t.measured, t.aim, t.met === undefined ? 'n/a' : t.met ? 'yes' : 'NO']),
    [0, 2],
  );
}
