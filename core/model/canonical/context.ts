// What every attribute transformer may use: where it is (for positioned errors), the
// project's directory and variables, and the injected file reader.
import { SpecError, type KeyPath } from '../../errors.js';
import type { LoadedSpec } from '../../load/types.js';

export interface TransformContext {
  spec: LoadedSpec;
  /** Absolute project directory: relative paths not rebased by the loader resolve here. */
  workingDir: string;
  /** Shell environment over .env: `environment: [VAR]` pass-through and `~` expansion read it. */
  environment: Record<string, string>;
  readFile: (path: string) => string;
  /** Files read while building (env_files, secrets, configs); appended to Project.sourceFiles. */
  sourceFiles: Set<string>;
  warnings: string[];
}

/** Stops the build with a positioned problem: the spec passed the schema, yet makes no sense here. */
export function fail(ctx: TransformContext, path: KeyPath, message: string, hint?: string): never {
  throw new SpecError('SPEC_INVALID', ctx.spec.sources.problem(path, message, hint === undefined ? {} : { hint }));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectRecord(ctx: TransformContext, value: unknown, path: KeyPath): Record<string, unknown> {
  if (!isRecord(value)) fail(ctx, path, `expected a mapping, got ${describe(value)}`);
  return value;
}

export function expectString(ctx: TransformContext, value: unknown, path: KeyPath): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  fail(ctx, path, `expected a string, got ${describe(value)}`);
}

export function expectNumber(ctx: TransformContext, value: unknown, path: KeyPath): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  fail(ctx, path, `expected a number, got ${describe(value)}`);
}

export function expectBoolean(ctx: TransformContext, value: unknown, path: KeyPath): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  fail(ctx, path, `expected true or false, got ${describe(value)}`);
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** `x-*` keys of a mapping. */
export function extensionsOf(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (key.startsWith('x-')) out[key] = item;
  return out;
}
