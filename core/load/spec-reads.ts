// Every look the loader and the model take at the disk: which files exist (discovery, .env,
// optional env files, include) and what the files read say (specs, env files, secrets and
// configs). Going through one object lets a load say exactly what its result depended on,
// including the files that were NOT there: the project cache (core/project-cache.ts) reuses a
// resolved project only while every one of these looks would see the same thing again.
import { readFileSync, statSync } from 'node:fs';

export type FileKind = 'file' | 'directory' | 'missing';

export interface SpecReads {
  /** What is at `file`. Anything but "not there" (e.g. EACCES) counts as a file: reading it says why not. */
  kind(file: string): FileKind;
  /** The file's text (UTF-8); throws the file system's error as it is. */
  readText(file: string): string;
}

/** What one look saw: a kind, and for a file that was read, its text. */
export interface Observation {
  kind: FileKind;
  text?: string;
}

/** Reads the disk and remembers every look, in order of first look. */
export class RecordingReads implements SpecReads {
  readonly seen = new Map<string, Observation>();
  /** When the first look could happen (ms since the epoch): files changed after it may have been read before the change. */
  readonly startedAt = Date.now();

  kind(file: string): FileKind {
    const kind = kindOnDisk(file);
    if (!this.seen.has(file)) this.seen.set(file, { kind });
    return kind;
  }

  readText(file: string): string {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!this.seen.has(file) && (code === 'ENOENT' || code === 'ENOTDIR')) this.seen.set(file, { kind: 'missing' });
      throw error;
    }
    this.seen.set(file, { kind: 'file', text });
    return text;
  }
}

export function kindOnDisk(file: string): FileKind {
  try {
    return statSync(file).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'file';
  }
}

/** The disk as it is, nothing recorded: for loads nobody caches (the library's default). */
export const plainReads: SpecReads = {
  kind: kindOnDisk,
  readText: (file) => readFileSync(file, 'utf8'),
};
