// Field-level diff between the config a container was made from (its `dev.stack.config` label)
// and the desired one, so a recreate can say `environment.MODE: "one" -> "two"` instead of
// "config hash changed" (what users asked for in compose#1203).
import type { FieldChange } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const part = IDENTIFIER.test(key) ? key : JSON.stringify(key);
  return parent === '' ? part : `${parent}.${part}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Changes between two canonical JSON values, sorted by path; equal values give `[]`. */
export function diffConfig(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', out);
  return out;
}

function walk(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  // Canonical JSON drops empty maps and lists: compare an absent one as empty so that a first
  // variable reads `environment.MODE: (unset) -> "two"`, not the whole map.
  if (before === undefined && (isRecord(after) || Array.isArray(after))) before = Array.isArray(after) ? [] : {};
  if (after === undefined && (isRecord(before) || Array.isArray(before))) after = Array.isArray(before) ? [] : {};
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], childPath(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      // A whole new or dropped list item reads better as one value than as its leaves.
      if (i >= before.length || i >= after.length) leaf(before[i], after[i], childPath(path, i), out);
      else walk(before[i], after[i], childPath(path, i), out);
    }
    return;
  }
  leaf(before, after, path, out);
}

function leaf(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const change: FieldChange = { path };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  out.push(change);
}

const MAX_VALUE = 60;

/** `"one"`, `8080`, `(unset)`; long values are shortened so a plan line stays readable. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** `environment.MODE: "one" -> "two"` */
export function formatChange(change: FieldChange): string {
  return `${change.path}: ${formatValue(change.before)} -> ${formatValue(change.after)}`;
}
