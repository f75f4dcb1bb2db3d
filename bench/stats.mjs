/** Small statistics and formatting helpers for the benchmark table. */

export function median(values) {
  return percentile(values, 50);
}

/** Nearest-rank percentile: a value that was actually measured, never an interpolation. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function millis(ms) {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ratio(value) {
  return `${value.toFixed(2)}×`;
}

/** `n/a (why)` for a cell the benchmark could not measure; never a made-up number. */
export class NotAvailable {
  constructor(reason) {
    this.reason = reason;
  }
  toString() {
    return `n/a (${this.reason})`;
  }
}
