// Stage: the variables used for interpolation. The shell environment always wins; the `.env`
// file of the project directory (or the `--env-file` files, later ones winning) fills the rest.
import path from 'node:path';
import { SpecError } from '../errors.js';
import type { LoaderContext } from './context.js';
import { parseDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';

export interface EnvFileRef {
  path: string;
  /** A missing required file is an error; a missing optional one (the default `.env`) is skipped. */
  required: boolean;
}

export interface LoadedEnvironment {
  /** Shell values over file values. */
  environment: Record<string, string>;
  lookup: Lookup;
}

export interface LoadEnvironmentInput {
  files: EnvFileRef[];
  shell: Record<string, string | undefined>;
  /** Variables of an enclosing project (for included sub-projects): used after the files. */
  fallback?: Lookup;
}

export async function loadEnvironment(input: LoadEnvironmentInput, ctx: LoaderContext): Promise<LoadedEnvironment> {
  const shellLookup = (name: string): string | undefined => (Object.prototype.hasOwnProperty.call(input.shell, name) ? input.shell[name] : undefined);
  const fromFiles: Record<string, string> = {};
  for (const ref of input.files) {
    const text = await readEnvFile(ref, ctx);
    if (text === undefined) continue;
    const values = parseDotenv(text, ctx.display(ref.path), (name) => shellLookup(name) ?? own(fromFiles, name) ?? input.fallback?.(name));
    Object.assign(fromFiles, values);
  }
  const environment: Record<string, string> = { ...fromFiles };
  for (const [name, value] of Object.entries(input.shell)) if (value !== undefined) environment[name] = value;
  const lookup: Lookup = (name) => shellLookup(name) ?? own(fromFiles, name) ?? input.fallback?.(name);
  return { environment, lookup };
}

const own = (values: Record<string, string>, name: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;

async function readEnvFile(ref: EnvFileRef, ctx: LoaderContext): Promise<string | undefined> {
  const kind = ctx.reads.kind(ref.path);
  if (kind === 'missing') return missingEnvFile(ref, ctx);
  if (kind === 'directory') {
    if (!ref.required) return undefined;
    throw new SpecError('SPEC_UNREADABLE', { message: `env file ${ctx.display(ref.path)} is a directory` });
  }
  try {
    const text = ctx.reads.readText(ref.path);
    ctx.sourceFiles.add(ref.path);
    return text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Gone between the look and the read.
    if (code === 'ENOENT' || code === 'ENOTDIR') return missingEnvFile(ref, ctx);
    throw new SpecError('SPEC_UNREADABLE', { message: `cannot read env file ${ctx.display(ref.path)}: ${(error as Error).message}` });
  }
}

function missingEnvFile(ref: EnvFileRef, ctx: LoaderContext): undefined {
  if (!ref.required) return undefined;
  throw new SpecError('SPEC_NOT_FOUND', { message: `env file not found: ${ctx.display(ref.path)}` }, { hint: 'check the --env-file / env_file path' });
}

/** The default env file of a project directory. */
export const defaultEnvFile = (dir: string): EnvFileRef => ({ path: path.join(dir, '.env'), required: false });
