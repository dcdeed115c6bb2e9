/**
 * Go's time.Duration.String(), which the kubelet's "Successfully pulled image … in %v" prints:
 * "0s", "1.5µs", "100ms", "1.234s", "2m0.5s", "1h0m0s". Trailing fraction zeros are dropped.
 */
const NS_PER_SECOND = 1_000_000_000n;

/** The fraction v / 10^prec as ".ddd" without trailing zeros (nothing when it is 0), and v / 10^prec. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let significant = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    significant ||= digit !== 0n;
    if (significant) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [significant ? `.${digits}` : '', v];
}

/** Duration.String() of a duration given in nanoseconds. */
export function goDuration(nanoseconds: bigint | number): string {
  let u = BigInt(nanoseconds);
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u < NS_PER_SECOND) {
    if (u === 0n) return '0s';
    const [unit, prec] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const [frac, whole] = fraction(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, seconds] = fraction(u, 9);
    out = `${seconds % 60n}${frac}s`;
    const minutes = seconds / 60n;
    if (minutes > 0n) {
      out = `${minutes % 60n}m${out}`;
      const hours = minutes / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Duration.String() of a whole number of milliseconds (the kubelet truncates pull times to ms). */
export function goDurationMs(ms: number): string {
  return goDuration(BigInt(Math.trunc(ms)) * 1_000_000n);
}
