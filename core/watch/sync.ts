// develop.watch: source changes reach running containers without a rebuild (Compose's watch).
// Per rule: `path` (host) is watched recursively; a changed file goes to `target` + its path
// relative to `path`, through the archive API (one tar per container per batch, written at `/`,
// so missing parent folders are made by the engine); deleted files and folders are removed with
// `rm -rf` in the container. Actions: sync, sync+restart, sync+exec, restart, rebuild.
//
// Ignored: VCS folders and editor temp files (always), the rule's `ignore`, and `.dockerignore`
// (of the build context when the service has `build:`, else of the watched folder). With
// `include`, only matching files are synced. A file whose path (or symlink target) leaves the
// watched path, or whose container path leaves the target, is refused and reported.
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import dockerignore from '@balena/dockerignore';
import type { Engine } from '../engine/engine.js';
import type { Service, WatchRule } from '../model/types.js';
import { tarBuffer, type TarEntry } from '../apply/archive.js';
import type { FileChange } from './watcher.js';

type IgnoreFactory = () => { add(patterns: string | readonly string[]): { ignores(path: string): boolean } };
// A CommonJS module seen through NodeNext: the factory is the default export or the module itself.
const ignore = ((dockerignore as unknown as { default?: IgnoreFactory }).default ?? dockerignore) as unknown as IgnoreFactory;

/** Never synced: version-control folders and what editors leave behind while saving. */
export const DEFAULT_IGNORES: readonly string[] = ['.git', '.hg', '.svn', '*~', '.*.swp', '.*.swx', '.#*', '4913', '*.tmp', '.DS_Store'];

export interface RuleFilter {
  /** For the watcher: true = do not watch (asked for folders too, so ignored folders are not walked). */
  ignored(path: string): boolean;
  /** For a changed file: true = sync it (not ignored, and matched by `include` when given). */
  wanted(path: string): boolean;
}

export interface FilterInput {
  rule: WatchRule;
  /** Patterns of the applicable .dockerignore, relative to `dockerignoreBase`. */
  dockerignore?: readonly string[];
  dockerignoreBase?: string;
}

export function ruleFilter(input: FilterInput): RuleFilter {
  const { rule } = input;
  const defaults = ignore().add(DEFAULT_IGNORES.flatMap((p) => [p, `**/${p}`]));
  const own = ignore().add(rule.ignore);
  const docker = input.dockerignore && input.dockerignore.length > 0 ? ignore().add([...input.dockerignore]) : undefined;
  const include = rule.include && rule.include.length > 0 ? ignore().add(rule.include) : undefined;
  const ignored = (path: string): boolean => {
    const rel = toPosix(relative(rule.path, path));
    if (rel === '' || rel.startsWith('..')) return false;
    if (defaults.ignores(rel) || own.ignores(rel)) return true;
    if (docker && input.dockerignoreBase !== undefined) {
      const base = toPosix(relative(input.dockerignoreBase, path));
      if (base !== '' && !base.startsWith('..') && docker.ignores(base)) return true;
    }
    return false;
  };
  return {
    ignored,
    wanted: (path) => {
      if (ignored(path)) return false;
      if (!include) return true;
      const rel = toPosix(relative(rule.path, path));
      return rel === '' || include.ignores(rel);
    },
  };
}

/** Reads the .dockerignore that applies to a service's rule (see the top of the file). */
export function dockerignoreFor(service: Service, rule: WatchRule): { patterns: string[]; base: string } | undefined {
  const context = service.build?.context;
  const base = context !== undefined && isAbsolute(context) ? context : isDirectory(rule.path) ? rule.path : undefined;
  if (base === undefined) return undefined;
  try {
    const text = readFileSync(join(base, '.dockerignore'), 'utf8');
    const patterns = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    return { patterns, base };
  } catch {
    return undefined;
  }
}

export class PathEscapeError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
  }
}

/** Where a host file of the rule goes in the container; throws PathEscapeError when it would leave `path` or `target`. */
export function containerPath(rule: WatchRule, hostPath: string): string {
  if (rule.target === undefined) throw new PathEscapeError(hostPath, `the watch rule for ${rule.path} has no target`);
  const rel = relative(rule.path, hostPath);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new PathEscapeError(hostPath, `is outside the watched path ${rule.path}`);
  const target = posix.normalize(rule.target);
  const out = rel === '' ? target : posix.join(target, toPosix(rel));
  const back = posix.relative(target, out);
  if (back.startsWith('..') || posix.isAbsolute(back)) throw new PathEscapeError(hostPath, `would be written outside the target ${rule.target}`);
  return out;
}

export interface SyncPlan {
  /** Host file -> container path. */
  copies: { host: string; container: string }[];
  /** Container paths to remove. */
  deletes: string[];
  refused: { path: string; reason: string }[];
}

/**
 * What one batch means for one rule: the last event of each path wins; files that exist are
 * copied, paths that are gone are deleted. PURE apart from `exists` (injected for tests).
 */
export function planRuleSync(rule: WatchRule, changes: readonly FileChange[], filter: RuleFilter, exists: (path: string) => boolean): SyncPlan {
  const last = new Map<string, FileChange>();
  for (const change of changes) {
    const rel = relative(rule.path, change.path);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    last.set(change.path, change);
  }
  const plan: SyncPlan = { copies: [], deletes: [], refused: [] };
  for (const [path, change] of [...last].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (filter.ignored(path)) continue;
    const gone = change.kind === 'unlink' || change.kind === 'unlinkDir' ? !exists(path) : false;
    if (!gone && (change.kind === 'addDir' || change.kind === 'unlinkDir')) continue;
    if (!gone && !filter.wanted(path)) continue;
    try {
      const target = containerPath(rule, path);
      if (gone) plan.deletes.push(target);
      else plan.copies.push({ host: path, container: target });
    } catch (error) {
      if (!(error instanceof PathEscapeError)) throw error;
      plan.refused.push({ path, reason: error.message });
    }
  }
  return plan;
}

/** Every wanted file under the rule's path (initial_sync), as a plan. */
export async function planInitialSync(rule: WatchRule, filter: RuleFilter): Promise<SyncPlan> {
  const files: FileChange[] = [];
  const walk = async (path: string): Promise<void> => {
    if (filter.ignored(path)) return;
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (info.isDirectory()) {
      for (const entry of await readdir(path)) await walk(join(path, entry));
    } else if (info.isFile()) {
      files.push({ path, kind: 'add' });
    }
  };
  await walk(rule.path);
  return planRuleSync(rule, files, filter, () => true);
}

export type SyncEngine = Pick<Engine, 'putArchive' | 'exec'>;

/**
 * Copies and deletes into one container. A copied symlink is followed, but only when it stays
 * inside the watched path: anything else is refused (added to `plan.refused`).
 */
export async function applySyncPlan(engine: SyncEngine, container: string, plan: SyncPlan, rule: WatchRule): Promise<SyncPlan> {
  const entries: TarEntry[] = [];
  const refused = [...plan.refused];
  const root = await realpath(rule.path).catch(() => rule.path);
  for (const copy of plan.copies) {
    const info = await lstat(copy.host).catch(() => undefined);
    if (!info) continue; // deleted since the event: the next batch removes it
    if (info.isSymbolicLink()) {
      const real = await realpath(copy.host).catch(() => undefined);
      const rel = real === undefined ? '..' : relative(root, real);
      if (rel.startsWith('..') || isAbsolute(rel)) {
        refused.push({ path: copy.host, reason: `${copy.host}: is a link to ${real ?? 'nowhere'}, outside the watched path ${rule.path}` });
        continue;
      }
    }
    const data = await readFile(copy.host).catch(() => undefined);
    if (data === undefined) continue;
    const mode = (await stat(copy.host).catch(() => info)).mode & 0o7777;
    entries.push({ path: copy.container.replace(/^\/+/, ''), content: data, mode, mtime: Math.floor(info.mtimeMs / 1000) });
  }
  if (plan.deletes.length > 0) {
    const result = await engine.exec(container, { command: ['rm', '-rf', '--', ...plan.deletes], tty: false, interactive: false });
    if (result.exitCode !== 0) throw new Error(`removing ${plan.deletes.join(', ')} failed (exit ${result.exitCode}): ${result.output.trim()}`);
  }
  if (entries.length > 0) {
    const { Readable } = await import('node:stream');
    await engine.putArchive(container, '/', Readable.from([tarBuffer(entries)]));
  }
  return { copies: plan.copies.filter((c) => !refused.some((r) => r.path === c.host)), deletes: plan.deletes, refused };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
