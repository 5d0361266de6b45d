// `healthcheck`: a test string runs through the shell (`CMD-SHELL`), durations become ms, and
// `disable: true` means test `["NONE"]`.
import type { KeyPath } from '../../errors.js';
import type { Healthcheck } from '../types.js';
import { describe, expectBoolean, expectNumber, expectRecord, fail, type TransformContext } from './context.js';
import { durationAt } from './units.js';

const DURATIONS = ['interval', 'timeout', 'start_period', 'start_interval'] as const;

export function healthcheckAt(ctx: TransformContext, value: unknown, path: KeyPath): Healthcheck {
  const raw = expectRecord(ctx, value, path);
  const check: Healthcheck = {};
  if (typeof raw.test === 'string') check.test = ['CMD-SHELL', raw.test];
  else if (Array.isArray(raw.test)) {
    check.test = raw.test.map((item, index) => {
      if (typeof item === 'string' || typeof item === 'number') return String(item);
      fail(ctx, [...path, 'test', index], `expected a string, got ${describe(item)}`);
    });
  } else if (raw.test !== undefined && raw.test !== null) {
    fail(ctx, [...path, 'test'], `expected a command string or list, got ${describe(raw.test)}`);
  }
  for (const key of DURATIONS) {
    if (raw[key] !== undefined && raw[key] !== null) check[key] = durationAt(ctx, raw[key], [...path, key]);
  }
  if (raw.retries !== undefined && raw.retries !== null) check.retries = expectNumber(ctx, raw.retries, [...path, 'retries']);
  if (raw.disable !== undefined && expectBoolean(ctx, raw.disable, [...path, 'disable'])) {
    check.disable = true;
    check.test = ['NONE'];
  }
  return check;
}
