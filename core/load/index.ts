// The loader: files on disk -> one plain, merged, interpolated data tree + SourceMap.
// The stages, in order, are listed in README.md.
import path from 'node:path';
import { InternalError, StackError } from '../errors.js';
import { displayName, type LoaderContext, type Scope } from './context.js';
import { getKey, isMapping, setKey, type Mapping } from './data.js';
import { discoverFiles, splitComposeFile, STDIN } from './discover.js';
import { defaultEnvFile, loadEnvironment, type EnvFileRef } from './env.js';
import { loadSpecFile } from './load-file.js';
import { stripMarkers } from './markers.js';
import { diskParseCache } from './parse-cache.js';
import { mergeLayers, type Layer } from './merge.js';
import { resolveProjectName } from './project-name.js';
import { plainReads } from './spec-reads.js';
import type { LoadedSpec, LoadOptions } from './types.js';

export type { LoadedSpec, LoadOptions } from './types.js';
export { parseDotenv } from './dotenv.js';
export { interpolateString, type Lookup } from './interpolate.js';
export { normalizeProjectName, isValidProjectName } from './project-name.js';
export { parseComposeProfiles } from './profiles.js';
export { MERGE_RULES } from './merge.js';

/** Loads a project's spec. Every failure is a StackError (SpecError with positions for spec problems). */
export async function loadSpec(options: LoadOptions): Promise<LoadedSpec> {
  try {
    return await load(options);
  } catch (error) {
    if (error instanceof StackError) throw error;
    // A plain exception here is a loader bug, not a spec problem: say so rather than crash.
    throw new InternalError(`the spec loader failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/** Loads a spec given as text (as `-f -` would read it), with a temporary-free, in-memory source. */
export async function loadSpecFromText(text: string, options: Partial<LoadOptions> = {}): Promise<LoadedSpec> {
  return loadSpec({
    files: [STDIN],
    envFiles: [],
    environment: {},
    cwd: process.cwd(),
    interpolate: true,
    ...options,
    readStdin: async () => text,
  });
}

async function load(options: LoadOptions): Promise<LoadedSpec> {
  const cwd = path.resolve(options.cwd);
  const warnings: string[] = [];
  const ctx: LoaderContext = {
    cwd,
    interpolate: options.interpolate,
    ...(options.readStdin ? { readStdin: options.readStdin } : {}),
    warn: (warning) => {
      if (!warnings.includes(warning)) warnings.push(warning);
    },
    sourceFiles: new Set(),
    reads: options.reads ?? plainReads,
    display: (file) => displayName(file, cwd),
    ...(options.parseCacheDirectory ? { parseCache: diskParseCache(options.parseCacheDirectory) } : {}),
  };
  const shell = options.environment;
  const explicitEnvFiles: EnvFileRef[] = options.envFiles.map((file) => ({ path: path.resolve(cwd, file), required: true }));

  const discoveryEnv = await composeVariables(options, explicitEnvFiles, ctx);
  const discovered = await discoverFiles({
    files: options.files,
    cwd,
    kind: (file) => ctx.reads.kind(file),
    environment: discoveryEnv,
    ...(options.projectDirectory ? { projectDirectory: options.projectDirectory } : {}),
  });
  discovered.warnings.forEach(ctx.warn);
  const workingDir = discovered.workingDir;

  const env = await loadEnvironment({ files: explicitEnvFiles.length > 0 ? explicitEnvFiles : [defaultEnvFile(workingDir)], shell }, ctx);
  const scope: Scope = { lookup: env.lookup, shell, environment: env.environment, extendsCache: new Map() };

  let merged: Layer | undefined;
  let nameSource: string | undefined;
  let layers = 0;
  for (const file of discovered.files) {
    layers++;
    const layer = await loadSpecFile({ file, baseDir: workingDir, scope, includeStack: [] }, ctx);
    const name = getKey(layer.data, 'name');
    if (typeof name === 'string' && name !== '') nameSource = name;
    merged = merged ? mergeLayers(merged, layer) : { data: ctx.tagged ? (stripMarkers(layer.data) as Mapping) : layer.data, sources: layer.sources };
  }
  if (!merged) throw new InternalError('no spec file to load');

  const projectName = resolveProjectName({
    ...(options.projectName ? { explicit: options.projectName } : {}),
    ...(env.lookup('COMPOSE_PROJECT_NAME') ? { fromEnvironment: env.lookup('COMPOSE_PROJECT_NAME')! } : {}),
    ...(nameSource !== undefined ? { fromSpec: { name: nameSource, sources: merged.sources } } : {}),
    workingDir,
  });
  // One file was stripped as it was taken (above) if any file had tags; after merges, whatever markers are left go now.
  const data = layers === 1 ? merged.data : stripMarkers(merged.data);
  const result: Mapping = isMapping(data) ? data : {};
  setKey(result, 'name', projectName);

  return {
    projectName,
    workingDir,
    configFiles: discovered.files,
    sourceFiles: [...ctx.sourceFiles],
    data: result,
    sources: merged.sources,
    environment: env.environment,
    warnings,
  };
}

/**
 * COMPOSE_FILE (and COMPOSE_PATH_SEPARATOR) may come from the shell or, as in Compose, from the
 * .env file of the project directory (or cwd) when no -f is given.
 */
async function composeVariables(options: LoadOptions, explicitEnvFiles: EnvFileRef[], ctx: LoaderContext): Promise<Record<string, string | undefined>> {
  if (options.files.length > 0 || options.environment.COMPOSE_FILE) return options.environment;
  const dir = path.resolve(ctx.cwd, options.projectDirectory ?? '.');
  const files = explicitEnvFiles.length > 0 ? explicitEnvFiles : [defaultEnvFile(dir)];
  const env = await loadEnvironment({ files, shell: options.environment }, ctx);
  const composeFile = env.lookup('COMPOSE_FILE');
  if (!composeFile) return options.environment;
  // Relative COMPOSE_FILE entries from a .env file are relative to that file's directory.
  const separatorEnv = { ...options.environment, COMPOSE_PATH_SEPARATOR: env.lookup('COMPOSE_PATH_SEPARATOR') };
  const resolved = splitComposeFile(composeFile, separatorEnv).map((file) => path.resolve(dir, file));
  return { ...options.environment, COMPOSE_FILE: resolved.join(path.delimiter === ';' ? ';' : ':'), COMPOSE_PATH_SEPARATOR: path.delimiter === ';' ? ';' : ':' };
}

