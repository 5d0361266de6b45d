// The per-file part of the pipeline: read -> parse -> legacy -> interpolate -> include -> extends.
// Compose interpolates each file on its own before merging, so that a file's variables and
// positions stay its own.
import path from 'node:path';
import { SpecError } from '../errors.js';
import type { FileLayer, LoaderContext, Scope } from './context.js';
import { resolveExtends } from './extends.js';
import { resolveIncludes } from './include.js';
import { interpolateTree } from './interpolate.js';
import { upgradeLegacy } from './legacy.js';
import { reuseEditedParse, reuseParse, type ParseCache, type ParsedSpec } from './parse-cache.js';

export interface LoadFileInput {
  /** Absolute path, or `-` for stdin. */
  file: string;
  /** Directory relative paths resolve against (the project directory for `-f` files). */
  baseDir: string;
  scope: Scope;
  /** Files being included above this one, for cycle detection. */
  includeStack: string[];
}

/** Reads and prepares one file completely (its includes and extends resolved). */
export async function loadSpecFile(input: LoadFileInput, ctx: LoaderContext): Promise<FileLayer> {
  const layer = await readLayer(input, ctx);
  const included = await resolveIncludes(layer, { scope: input.scope, includeStack: input.includeStack }, ctx);
  await resolveExtends(included, input.scope, ctx);
  return included;
}

/** Read, parse, upgrade and interpolate one file (no include/extends yet). */
export async function readLayer(input: Omit<LoadFileInput, 'includeStack'>, ctx: LoaderContext): Promise<FileLayer> {
  const text = await readSpecText(input.file, ctx);
  const parsed = await parseText(text, ctx.display(input.file), ctx.parseCache);
  if (parsed.tagged) ctx.tagged = true;
  const upgraded = upgradeLegacy(parsed, (warning) => ctx.warn(warning));
  const data = ctx.interpolate
    ? interpolateTree(upgraded.data, { lookup: input.scope.lookup, sources: upgraded.sources, warn: (warning) => ctx.warn(warning) })
    : upgraded.data;
  const dir = input.file === '-' ? ctx.cwd : path.dirname(input.file);
  return { data, sources: upgraded.sources, file: input.file, dir, baseDir: input.baseDir };
}

/** The cached parse when there is one; the YAML parser is loaded only when a file must be parsed. */
async function parseText(text: string, file: string, cache: ParseCache | undefined): Promise<ParsedSpec> {
  const reused = reuseParse(text, file, cache) ?? reuseEditedParse(text, file, cache);
  if (reused) return reused;
  const { parseSpec } = await import('./parse.js');
  return parseSpec(text, file, cache);
}

export async function readSpecText(file: string, ctx: LoaderContext): Promise<string> {
  if (file === '-') {
    if (!ctx.readStdin) throw new SpecError('SPEC_UNREADABLE', { message: 'cannot read the spec from stdin here' }, { hint: 'pass a file with -f <file>' });
    ctx.sourceFiles.add('-');
    try {
      return await ctx.readStdin();
    } catch (error) {
      throw new SpecError('SPEC_UNREADABLE', { message: `cannot read the spec from stdin: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  try {
    // Synchronous: a spec file is small, and a trip through the thread pool costs more than the read.
    const text = ctx.reads.readText(file);
    ctx.sourceFiles.add(file);
    return text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const shown = ctx.display(file);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SpecError('SPEC_NOT_FOUND', { message: `spec file not found: ${shown}` }, { hint: 'check the path; relative paths resolve against the directory of the file that names them' });
    }
    const reason = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error);
    throw new SpecError('SPEC_UNREADABLE', { message: `cannot read spec file ${shown}: ${reason}` }, {
      hint: code === 'EACCES' ? 'check the file permissions' : undefined,
    });
  }
}
