// The dumb part of watching: chokidar in, debounced batches of changed paths out. No decisions.
//
// Spec files are watched twice over: the file itself (in-place writes) and its parent folder at
// depth 0 (so write-and-rename, delete-and-create, and a file that disappears and comes back
// later are all seen as changes of that path). Everything else in those folders is ignored.
// Trees (develop.watch paths) are watched recursively with an ignore predicate that also stops
// chokidar from descending into ignored folders (.git, node_modules...).
import { dirname, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { Debouncer, type TimerClock } from './debounce.js';

export type FileChangeKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface FileChange {
  /** Absolute path. */
  path: string;
  kind: FileChangeKind;
}

export interface WatchBaseOptions {
  /** Quiet window of the debouncer, ms. */
  quietMs: number;
  maxWaitMs?: number;
  clock?: TimerClock;
  onBatch: (batch: FileChange[]) => void;
  /** A watcher error (permissions, too many watches): reported, watching goes on. */
  onError?: (error: unknown) => void;
}

export interface FileSetWatcher {
  /** Replaces the watched set (after a reload that read other files). */
  setFiles(files: readonly string[]): Promise<void>;
  readonly files: ReadonlySet<string>;
  close(): Promise<void>;
}

/** Watches exact files (and their folders, for editors' replace-style saves). Resolves once ready. */
export async function watchFiles(files: readonly string[], options: WatchBaseOptions): Promise<FileSetWatcher> {
  let wanted = new Set(files.filter((f) => f !== '-').map((f) => resolve(f)));
  let folders = new Set([...wanted].map((f) => dirname(f)));
  const debouncer = new Debouncer<FileChange>({ quietMs: options.quietMs, ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}), ...(options.clock ? { clock: options.clock } : {}), onBatch: options.onBatch });
  const watcher = watch([...folders, ...wanted], {
    ignoreInitial: true,
    depth: 0,
    // Other files next to the spec (editor swap files, the project's sources) are not ours.
    ignored: (path: string) => !(wanted.has(path) || folders.has(path)),
  });
  route(watcher, (change) => {
    if (wanted.has(change.path)) debouncer.push(change);
  }, options.onError);
  await ready(watcher);
  return {
    get files() {
      return wanted;
    },
    async setFiles(next) {
      const nextWanted = new Set(next.filter((f) => f !== '-').map((f) => resolve(f)));
      const nextFolders = new Set([...nextWanted].map((f) => dirname(f)));
      const added = [...nextFolders, ...nextWanted].filter((p) => !wanted.has(p) && !folders.has(p));
      const removed = [...wanted, ...folders].filter((p) => !nextWanted.has(p) && !nextFolders.has(p));
      wanted = nextWanted;
      folders = nextFolders;
      if (removed.length > 0) await watcher.unwatch(removed);
      if (added.length > 0) watcher.add(added);
    },
    async close() {
      debouncer.dispose();
      await watcher.close();
    },
  };
}

export interface TreeWatcher {
  close(): Promise<void>;
}

/**
 * Watches folders (or single files) recursively. `ignored(path)` gets absolute paths and is
 * asked for folders too, so an ignored folder is never walked.
 */
export async function watchTrees(roots: readonly string[], options: WatchBaseOptions & { ignored: (path: string) => boolean }): Promise<TreeWatcher> {
  const debouncer = new Debouncer<FileChange>({ quietMs: options.quietMs, ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}), ...(options.clock ? { clock: options.clock } : {}), onBatch: options.onBatch });
  const watcher = watch([...roots], { ignoreInitial: true, ignored: (path: string) => options.ignored(path) });
  route(watcher, (change) => debouncer.push(change), options.onError);
  await ready(watcher);
  return {
    async close() {
      debouncer.dispose();
      await watcher.close();
    },
  };
}

function route(watcher: FSWatcher, push: (change: FileChange) => void, onError?: (error: unknown) => void): void {
  for (const kind of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
    watcher.on(kind, (path: string) => push({ path: resolve(path), kind }));
  }
  watcher.on('error', (error: unknown) => onError?.(error));
}

function ready(watcher: FSWatcher): Promise<void> {
  return new Promise((resolvePromise) => watcher.once('ready', () => resolvePromise()));
}
