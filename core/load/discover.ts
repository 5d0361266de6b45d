// Stage: which spec files to read, and the project directory. `-f` values win, then
// COMPOSE_FILE, then the first well-known file name found in cwd or one of its parents (plus the
// first override file next to it).
import path from 'node:path';
import { SpecError } from '../errors.js';
import { kindOnDisk, type FileKind } from './spec-reads.js';

export const SPEC_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml', 'fig.yml', 'fig.yaml'] as const;
export const OVERRIDE_FILE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'] as const;

/** The name of the stdin pseudo-file in `files`. */
export const STDIN = '-';

export interface DiscoverOptions {
  /** `-f` values (relative to cwd), `-` for stdin. */
  files: string[];
  cwd: string;
  /** Used for COMPOSE_FILE and COMPOSE_PATH_SEPARATOR. */
  environment: Record<string, string | undefined>;
  projectDirectory?: string;
  /** How a path is looked at (the loader records every look); default: the disk as it is. */
  kind?: (file: string) => FileKind;
}

export interface Discovered {
  /** Absolute paths, or `-` for stdin, in merge order. */
  files: string[];
  /** Absolute project directory. */
  workingDir: string;
  warnings: string[];
}

export async function discoverFiles(options: DiscoverOptions): Promise<Discovered> {
  const cwd = path.resolve(options.cwd);
  // Synchronous: discovery probes a dozen names, each a thread-pool trip when asynchronous.
  const kind = options.kind ?? kindOnDisk;
  const warnings: string[] = [];
  let files: string[];
  if (options.files.length > 0) {
    files = checkExplicit(options.files, cwd, '-f', kind);
  } else if (options.environment.COMPOSE_FILE) {
    files = checkExplicit(splitComposeFile(options.environment.COMPOSE_FILE, options.environment), cwd, 'COMPOSE_FILE', kind);
  } else {
    files = findInParents(cwd, warnings, kind);
  }
  const first = files[0];
  const workingDir = options.projectDirectory
    ? path.resolve(cwd, options.projectDirectory)
    : first === undefined || first === STDIN
      ? cwd
      : path.dirname(first);
  return { files, workingDir, warnings };
}

/** COMPOSE_FILE is a list separated by COMPOSE_PATH_SEPARATOR (default `:`, `;` on Windows). */
export function splitComposeFile(value: string, environment: Record<string, string | undefined>): string[] {
  const separator = environment.COMPOSE_PATH_SEPARATOR || (process.platform === 'win32' ? ';' : ':');
  return value.split(separator).filter((part) => part.trim() !== '');
}

function checkExplicit(files: string[], cwd: string, origin: string, fileKind: (file: string) => FileKind): string[] {
  const out: string[] = [];
  for (const file of files) {
    if (file === STDIN) {
      out.push(STDIN);
      continue;
    }
    const absolute = path.resolve(cwd, file);
    const kind = fileKind(absolute);
    if (kind === 'missing') {
      throw new SpecError('SPEC_NOT_FOUND', { message: `spec file not found: ${file} (from ${origin}, looked at ${absolute})` }, {
        hint: 'check the path, or run stack in your project folder without -f to find compose.yaml automatically',
      });
    }
    if (kind === 'directory') {
      throw new SpecError('SPEC_UNREADABLE', { message: `${file} is a directory, not a spec file` }, {
        hint: `pass the file inside it, e.g. -f ${path.join(file, 'compose.yaml')}`,
      });
    }
    out.push(absolute);
  }
  return out;
}

function findInParents(cwd: string, warnings: string[], fileKind: (file: string) => FileKind): string[] {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const found: string[] = [];
    for (const name of SPEC_FILE_NAMES) if (fileKind(path.join(dir, name)) === 'file') found.push(name);
    const chosen = found[0];
    if (chosen !== undefined) {
      if (found.length > 1) warnings.push(`found several spec files in ${dir}: ${found.join(', ')}; using ${chosen}`);
      const files = [path.join(dir, chosen)];
      for (const name of OVERRIDE_FILE_NAMES) {
        if (fileKind(path.join(dir, name)) === 'file') {
          files.push(path.join(dir, name));
          break;
        }
      }
      return files;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new SpecError('SPEC_NOT_FOUND', { message: `no spec file found in ${cwd} or any parent directory` }, {
    hint: `looked for ${SPEC_FILE_NAMES.join(', ')}; run stack in your project folder or pass -f <file>`,
  });
}
