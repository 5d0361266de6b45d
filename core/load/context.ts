// What the loader stages share while reading one project: options, where warnings go, which
// files were read, and the per-environment cache of files read for `extends`.
import path from 'node:path';
import type { Lookup } from './interpolate.js';
import type { Layer } from './merge.js';
import type { ParseCache } from './parse-cache.js';
import type { SpecReads } from './spec-reads.js';

export interface LoaderContext {
  cwd: string;
  interpolate: boolean;
  readStdin?: () => Promise<string>;
  warn(warning: string): void;
  /** Every look at the disk: which files exist, what they say. */
  reads: SpecReads;
  /** Absolute paths of every file read (stdin shows as `-`). */
  sourceFiles: Set<string>;
  /** The name a file has in locations and messages. */
  display(file: string): string;
  /** Parsed files by content hash (see parse-cache.ts); absent = always parse. */
  parseCache?: ParseCache;
  /** Set once a file with `!reset`/`!override` tags was read: until then there are no markers to strip. */
  tagged?: boolean;
}

/** One environment for interpolation: the project's, or an included sub-project's. */
export interface Scope {
  lookup: Lookup;
  /** The shell environment: always wins, in sub-projects too. */
  shell: Record<string, string | undefined>;
  /** Shell over .env values, as given to the model. */
  environment: Record<string, string>;
  /** Files read for `extends: {file}`, by absolute path. */
  extendsCache: Map<string, Promise<FileLayer>>;
}

/** A parsed, interpolated spec file and the directories its paths resolve against. */
export interface FileLayer extends Layer {
  /** Absolute path, or `-` for stdin. */
  file: string;
  /** Directory of the file itself: `extends.file` resolves against it. */
  dir: string;
  /** Directory the file's relative paths (build, volumes, env_file, include) resolve against. */
  baseDir: string;
}

export const STDIN_DISPLAY = '<stdin>';

/** Paths under cwd are shown relative (`compose.yaml:4:12`), others absolute. */
export function displayName(file: string, cwd: string): string {
  if (file === '-') return STDIN_DISPLAY;
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
