// Durations and byte sizes as Compose reads them (str2duration, docker/go-units RAMInBytes)
// and prints them back (Go's time.Duration.String()).
import type { KeyPath } from '../../errors.js';
import { fail, type TransformContext } from './context.js';

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * `"1m30s"`, `"1h"`, `"500ms"`, `"1.5s"`, `"2d"` -> milliseconds. A bare number (or numeric
 * string) counts as seconds, as Docker's `--stop-timeout`/`--health-*` users expect.
 * Returns undefined when the text is not a duration.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1;
    text = text.slice(1);
  }
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w)/y;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? ''] ?? Number.NaN);
    index = part.lastIndex;
  }
  if (!Number.isFinite(total)) return undefined;
  return roundNs(sign * total);
}

/** Keeps sums of fractional units (`1.1s` = 1100ms) free of float noise, at nanosecond precision. */
function roundNs(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

export function durationAt(ctx: TransformContext, value: unknown, path: KeyPath): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    fail(ctx, path, `invalid duration ${JSON.stringify(value)}`, 'write a duration such as "10s", "1m30s", "500ms" or "1h"');
  }
  return ms;
}

/** Go's time.Duration.String(): 1h0m0s, 1m30s, 1.5s, 500ms, 0s. */
export function formatDuration(ms: number): string {
  let ns = BigInt(Math.round(ms * 1e6));
  const negative = ns < 0n;
  if (negative) ns = -ns;
  const sign = negative ? '-' : '';
  if (ns === 0n) return '0s';
  if (ns < 1_000_000_000n) {
    if (ns < 1000n) return `${sign}${ns}ns`;
    if (ns < 1_000_000n) return `${sign}${fraction(ns, 1000n)}µs`;
    return `${sign}${fraction(ns, 1_000_000n)}ms`;
  }
  const hours = ns / 3_600_000_000_000n;
  ns -= hours * 3_600_000_000_000n;
  const minutes = ns / 60_000_000_000n;
  ns -= minutes * 60_000_000_000n;
  const seconds = fraction(ns, 1_000_000_000n);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** `"512m"`, `"1g"`, `"1.5GB"`, `"100k"`, `"2048"`, numbers -> bytes (binary units, as go-units RAMInBytes). */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(-?\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?\s*$/.exec(value);
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? '').toLowerCase()] ?? 1;
  return Math.trunc(Number(match[1]) * unit);
}

export function byteSizeAt(ctx: TransformContext, value: unknown, path: KeyPath): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    fail(ctx, path, `invalid size ${JSON.stringify(value)}`, 'write a size such as "512m", "1g", "100k" or a number of bytes');
  }
  return bytes;
}
