// `environment` (list or map) and `env_file` (string, list or long form). env_file values come
// first, in order; `environment` wins. A variable without a value takes the project's
// environment value, else stays `null` (the engine side leaves it unset).
import type { KeyPath } from '../../errors.js';
import type { EnvFile } from '../types.js';
import { describe, expectBoolean, expectString, fail, isRecord, type TransformContext } from './context.js';
import { parseDotenv } from '../../load/dotenv.js';
import { hostPath } from './paths.js';

export function envFilesAt(ctx: TransformContext, value: unknown, path: KeyPath): EnvFile[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) fail(ctx, path, `expected a path or a list of paths, got ${describe(list)}`);
  return list.map((entry, index) => {
    const at = typeof value === 'string' ? path : [...path, index];
    if (typeof entry === 'string') return { path: hostPath(ctx, entry), required: true };
    if (isRecord(entry)) {
      if (typeof entry.path !== 'string') fail(ctx, at, 'an env_file entry needs a `path`');
      const file: EnvFile = {
        path: hostPath(ctx, entry.path),
        required: entry.required === undefined ? true : expectBoolean(ctx, entry.required, [...at, 'required']),
      };
      if (entry.format !== undefined) file.format = expectString(ctx, entry.format, [...at, 'format']);
      return file;
    }
    fail(ctx, at, `expected a path or a mapping, got ${describe(entry)}`);
  });
}

/** KEY=VAL / KEY list, or a mapping (numbers and booleans become strings, null looks the name up). */
export function environmentAt(ctx: TransformContext, value: unknown, path: KeyPath): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const lookup = (name: string): string | null => ctx.environment[name] ?? null;
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      if (typeof entry !== 'string') fail(ctx, [...path, index], `expected "KEY=VALUE" or "KEY", got ${describe(entry)}`);
      const eq = entry.indexOf('=');
      if (eq === 0) fail(ctx, [...path, index], `missing variable name in ${JSON.stringify(entry)}`);
      if (eq < 0) out[entry] = lookup(entry);
      else out[entry.slice(0, eq)] = entry.slice(eq + 1);
    });
    return out;
  }
  if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined) out[key] = lookup(key);
      else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
      else fail(ctx, [...path, key], `expected a string, number or boolean, got ${describe(item)}`);
    }
    return out;
  }
  if (value === null || value === undefined) return out;
  fail(ctx, path, `expected a list of "KEY=VALUE" or a mapping, got ${describe(value)}`);
}

/**
 * Values from the env_files, in order; a missing optional file is skipped. `lenient` (services
 * switched off by profiles) skips every missing file: like Compose, only active services need theirs.
 */
export function readEnvFiles(ctx: TransformContext, files: readonly EnvFile[], path: KeyPath, lenient = false): Record<string, string> {
  const out: Record<string, string> = {};
  files.forEach((file, index) => {
    let text: string;
    try {
      text = ctx.readFile(file.path);
    } catch (error) {
      if ((lenient || !file.required) && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message;
      fail(ctx, [...path, index], `env file ${file.path}: ${reason}`, file.required ? 'create the file, or mark it `required: false`' : undefined);
    }
    ctx.sourceFiles.add(file.path);
    // The dotenv parser looks variables up in the project environment first, as compose-go does.
    Object.assign(out, parseDotenv(text, file.path, (name) => ctx.environment[name] ?? out[name]));
  });
  return out;
}

/** The service's resolved environment: env_file values, then `environment` on top. */
export function serviceEnvironment(
  ctx: TransformContext,
  raw: Record<string, unknown>,
  servicePath: KeyPath,
  lenient = false,
): { environment: Record<string, string | null>; env_file?: EnvFile[] } {
  const environment: Record<string, string | null> = {};
  let envFiles: EnvFile[] | undefined;
  if (raw.env_file !== undefined && raw.env_file !== null) {
    envFiles = envFilesAt(ctx, raw.env_file, [...servicePath, 'env_file']);
    Object.assign(environment, readEnvFiles(ctx, envFiles, [...servicePath, 'env_file'], lenient));
  }
  Object.assign(environment, environmentAt(ctx, raw.environment, [...servicePath, 'environment']));
  return envFiles === undefined ? { environment } : { environment, env_file: envFiles };
}
