// Shared helpers for the loader tests: temporary projects on disk and error assertions.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { SpecError, StackError } from '../../../core/errors.js';
import { loadSpec } from '../../../core/load/index.js';
import type { LoadedSpec, LoadOptions } from '../../../core/load/types.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/load');

const created: string[] = [];
afterEach(() => {
  while (created.length > 0) rmSync(created.pop()!, { recursive: true, force: true });
});

/** A temporary folder (outside any compose project) with the given files; removed after the test. */
export function tempProject(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stack-load-'));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

export function loadIn(cwd: string, options: Partial<LoadOptions> = {}): Promise<LoadedSpec> {
  return loadSpec({ files: [], envFiles: [], environment: {}, cwd, interpolate: true, ...options });
}

/** Loads inline YAML written to a temp compose.yaml (extra files allowed). */
export async function loadYaml(yaml: string, options: Partial<LoadOptions> & { files?: string[]; extra?: Record<string, string> } = {}): Promise<LoadedSpec> {
  const { extra, ...rest } = options;
  const dir = tempProject({ 'compose.yaml': yaml, ...extra });
  return loadIn(dir, { projectName: 'test', ...rest });
}

export interface ExpectedError {
  code: string;
  file?: string;
  line?: number;
  col?: number;
  message?: RegExp | string;
}

/** Asserts the promise rejects with a SpecError of that code at that place; returns it. */
export async function expectSpecError(promise: Promise<unknown>, expected: ExpectedError): Promise<SpecError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the load to fail').toBeInstanceOf(StackError);
  expect(error).toBeInstanceOf(SpecError);
  const spec = error as SpecError;
  expect(spec.code).toBe(expected.code);
  if (expected.file !== undefined) expect(spec.location?.file).toBe(expected.file);
  if (expected.line !== undefined) expect(spec.location?.line).toBe(expected.line);
  if (expected.col !== undefined) expect(spec.location?.col).toBe(expected.col);
  if (expected.message !== undefined) expect(spec.message).toMatch(expected.message);
  return spec;
}

export const services = (spec: LoadedSpec): Record<string, Record<string, unknown>> => spec.data.services as Record<string, Record<string, unknown>>;
