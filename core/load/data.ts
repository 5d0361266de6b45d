// Small helpers for the plain data trees the loader stages pass along.
import { OverrideMarker, ResetMarker } from './markers.js';

export type Mapping = Record<string, unknown>;

/** A YAML mapping as plain data (not a list, not null, not a merge marker). */
export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof ResetMarker) && !(value instanceof OverrideMarker);
}

/** Sets a key without tripping over `__proto__`, which a spec may legitimately (if oddly) use as a key. */
export function setKey(target: Mapping, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function hasKey(target: Mapping, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

export function getKey(target: Mapping, key: string): unknown {
  return hasKey(target, key) ? target[key] : undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => hasKey(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
