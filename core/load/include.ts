// Stage: top-level `include:`. Each entry is loaded as its own sub-project: its own project
// directory for relative paths (made absolute here), its own `.env`, its own includes and
// extends. Its services, networks, volumes, secrets and configs are then added to the
// including file; a name both define (differently) is an error naming both places.
import path from 'node:path';
import { SpecError, describeProblem, type KeyPath } from '../errors.js';
import type { FileLayer, LoaderContext, Scope } from './context.js';
import { deepEqual, getKey, hasKey, isMapping, setKey, type Mapping } from './data.js';
import { defaultEnvFile, loadEnvironment, type EnvFileRef } from './env.js';
import { loadSpecFile } from './load-file.js';
import { stripMarkers } from './markers.js';
import { mergeLayers, type Layer } from './merge.js';
import { rebaseSpecPaths } from './paths.js';

export const INCLUDED_KINDS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

interface IncludeEntry {
  paths: string[];
  projectDirectory?: string;
  envFiles?: string[];
}

export interface IncludeInput {
  scope: Scope;
  /** Absolute paths of the files being loaded above, outermost first. */
  includeStack: string[];
}

export async function resolveIncludes(layer: FileLayer, input: IncludeInput, ctx: LoaderContext): Promise<FileLayer> {
  if (!hasKey(layer.data, 'include')) return layer;
  const list = getKey(layer.data, 'include');
  const data: Mapping = {};
  for (const [key, value] of Object.entries(layer.data)) if (key !== 'include') setKey(data, key, value);
  const result: FileLayer = { ...layer, data };
  if (list === null || list === undefined) return result;
  if (!Array.isArray(list)) {
    throw new SpecError('INCLUDE', layer.sources.problem(['include'], '`include` must be a list of files', { hint: 'e.g.\n  include:\n    - ./db/compose.yaml' }));
  }
  for (const [index, raw] of list.entries()) {
    const at = ['include', index];
    const entry = parseEntry(raw, layer, at);
    const files = entry.paths.map((file) => path.resolve(layer.baseDir, file));
    for (const file of files) {
      const stack = [...input.includeStack, layer.file];
      if (stack.includes(file)) {
        const chain = [...stack.slice(stack.indexOf(file)), file].map((one) => ctx.display(one));
        throw new SpecError('INCLUDE', layer.sources.problem(at, `include cycle: ${chain.join(' -> ')}`, { hint: 'a file cannot include itself, directly or through other files' }));
      }
      if (ctx.reads.kind(file) !== 'file') {
        throw new SpecError('INCLUDE', layer.sources.problem(at, `included file not found: ${ctx.display(file)}`, { hint: 'include paths are relative to the project directory of the including file' }));
      }
    }
    const projectDir = entry.projectDirectory ? path.resolve(layer.baseDir, entry.projectDirectory) : path.dirname(files[0]!);
    const envRefs: EnvFileRef[] = entry.envFiles
      ? entry.envFiles.map((file) => ({ path: path.resolve(layer.baseDir, file), required: true }))
      : [defaultEnvFile(projectDir)];
    // The sub-project's .env comes before the including project's variables; the shell wins over both.
    const env = await loadEnvironment({ files: envRefs, shell: input.scope.shell, fallback: input.scope.lookup }, ctx);
    const scope: Scope = { lookup: env.lookup, shell: input.scope.shell, environment: env.environment, extendsCache: new Map() };
    let merged: Layer | undefined;
    for (const file of files) {
      const loaded = await loadSpecFile({ file, baseDir: projectDir, scope, includeStack: [...input.includeStack, layer.file] }, ctx);
      merged = merged ? mergeLayers(merged, loaded) : { data: stripMarkers(loaded.data) as Mapping, sources: loaded.sources };
    }
    if (merged) addResources(result, { data: rebaseSpecPaths(merged.data, projectDir), sources: merged.sources }, ctx);
  }
  return result;
}

function parseEntry(raw: unknown, layer: FileLayer, at: KeyPath): IncludeEntry {
  const bad = (message: string): SpecError =>
    new SpecError('INCLUDE', layer.sources.problem(at, message, { hint: 'an include entry is a path, or a mapping with `path` (string or list), `project_directory` and `env_file`' }));
  if (typeof raw === 'string' && raw !== '') return { paths: [raw] };
  if (!isMapping(raw)) throw bad('an include entry must be a path or a mapping');
  const paths = strings(getKey(raw, 'path'));
  if (!paths || paths.length === 0) throw bad('an include entry needs `path`');
  const entry: IncludeEntry = { paths };
  const projectDirectory = getKey(raw, 'project_directory');
  if (typeof projectDirectory === 'string' && projectDirectory !== '') entry.projectDirectory = projectDirectory;
  else if (projectDirectory !== undefined && projectDirectory !== null) throw bad('`project_directory` must be a path');
  const envFile = getKey(raw, 'env_file');
  if (envFile !== undefined && envFile !== null) {
    const envFiles = strings(envFile);
    if (!envFiles) throw bad('`env_file` must be a path or a list of paths');
    entry.envFiles = envFiles;
  }
  return entry;
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string' && value !== '') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '')) return value as string[];
  return undefined;
}

function addResources(target: FileLayer, sub: Layer, ctx: LoaderContext): void {
  for (const kind of INCLUDED_KINDS) {
    const added = getKey(sub.data, kind);
    if (!isMapping(added)) continue;
    let existing = getKey(target.data, kind);
    if (!isMapping(existing)) {
      existing = {};
      setKey(target.data, kind, existing);
    }
    const group = existing as Mapping;
    for (const [name, value] of Object.entries(added)) {
      if (hasKey(group, name)) {
        if (deepEqual(group[name], value)) continue;
        const theirs = sub.sources.problem([kind, name], '', { part: 'key' });
        const where = theirs.location ? describeProblem({ message: '', location: theirs.location }).replace(/: $/, '') : 'an included file';
        const singular = kind.slice(0, -1);
        throw new SpecError('INCLUDE', target.sources.problem([kind, name], `${singular} "${name}" is defined both here and in the included file ${where}`, {
          hint: `rename one of them, or remove the definition from ${ctx.display(target.file)} and let the included project own it`,
          part: 'key',
        }));
      }
      setKey(group, name, value);
      target.sources.graft(sub.sources, [kind, name], [kind, name]);
    }
  }
}
