// Helpers every integration test uses: a unique project per test, cleanup that respects the
// dockerd 20.10 endpoint leak (stop, then remove; never force-remove many running containers),
// polling instead of sleeps, and throwaway project folders.
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isConflict, isNotFound } from '../../../core/errors.js';
import type { Engine } from '../../../core/engine/engine.js';

export const TEST_IMAGE = 'stack-test/busybox:latest';
export const PROJECT_LABEL = 'com.docker.compose.project';
/** Every test project name starts with this; teardown sweeps what a run left behind. */
export const TEST_PROJECT_PREFIX = 'stk-test-';
/** Set by global-setup for this run, so a sweep never touches another run sharing the engine. */
export const RUN_ID_ENV = 'STACK_TEST_RUN_ID';

/** The prefix of every project made in this test run: `stk-test-<run>-`. */
export function runPrefix(): string {
  const run = process.env[RUN_ID_ENV] ?? 'norun';
  return `${TEST_PROJECT_PREFIX}${run}-`;
}

/** `stk-test-<run>-<prefix>-<random>`: a valid Compose project name ([a-z0-9][a-z0-9_-]*). */
export function uniqueProjectName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24) || 'p';
  return `${runPrefix()}${clean}-${randomBytes(3).toString('hex')}`;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const ignoreGone = (error: unknown): void => {
  if (isNotFound(error)) return;
  // "removal of container ... is already in progress" or "is not running": someone else got there first.
  if (isConflict(error)) return;
  throw error;
};

export interface CleanupReport {
  containers: string[];
  networks: string[];
  volumes: string[];
}

/** Removes every container, network and volume labelled with the project; returns their names. */
export async function cleanupProject(engine: Engine, projectName: string): Promise<CleanupReport> {
  return cleanupByLabel(engine, [`${PROJECT_LABEL}=${projectName}`]);
}

/** Same as cleanupProject for every project whose name starts with `prefix` (one list call per kind). */
export async function cleanupProjectsWithPrefix(engine: Engine, prefix: string): Promise<CleanupReport> {
  return cleanupByLabel(engine, [PROJECT_LABEL], (labels) => (labels[PROJECT_LABEL] ?? '').startsWith(prefix));
}

async function cleanupByLabel(engine: Engine, labels: string[], keep: (labels: Record<string, string>) => boolean = () => true): Promise<CleanupReport> {
  const containers = (await engine.listContainers({ labels, all: true })).filter((c) => keep(c.labels));
  // Stop first, then remove: force-removing running containers in parallel leaks endpoint counts on dockerd 20.10.
  const running = containers.filter((c) => c.state === 'running' || c.state === 'restarting' || c.state === 'paused');
  await pool(running, 4, async (c) => {
    if (c.state === 'paused') await engine.unpauseContainer(c.id).catch(ignoreGone);
    await engine.stopContainer(c.id, 1).catch(ignoreGone);
  });
  await pool(containers, 4, (c) => engine.removeContainer(c.id, { force: false, volumes: true }).catch(ignoreGone));
  // A recreate mounts the old container's anonymous volume into the new one by name, and the
  // engine's `rm -v` leaves such a volume behind: remove it by name (it carries no labels).
  const anonymous = [...new Set(containers.flatMap((c) => c.mounts.filter((m) => m.type === 'volume' && /^[0-9a-f]{64}$/.test(m.name ?? '')).map((m) => m.name!)))];
  await pool(anonymous, 4, (name) => engine.removeVolume(name).catch(ignoreGone));
  const networks = (await engine.listNetworks({ labels })).filter((n) => keep(n.labels));
  await pool(networks, 4, (n) => engine.removeNetwork(n.id).catch(ignoreGone));
  const volumes = (await engine.listVolumes({ labels })).filter((v) => keep(v.labels));
  await pool(volumes, 4, (v) => engine.removeVolume(v.name).catch(ignoreGone));
  return { containers: containers.map((c) => c.name), networks: networks.map((n) => n.name), volumes: volumes.map((v) => v.name) };
}

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout message. */
  description?: string;
}

/**
 * Retries `check` until it returns without throwing (and not `false`); returns its value.
 * On timeout, throws the last failure so the test shows what was still wrong.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<Exclude<T, false>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false) return value as Exclude<T, false>;
      lastError = new Error('check returned false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const what = options.description ? ` waiting for ${options.description}` : '';
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`timed out after ${timeoutMs} ms${what}: ${reason}`, { cause: lastError });
}

export interface TempDir {
  dir: string;
  remove(): Promise<void>;
}

/**
 * A temp folder holding `files` (relative path -> text); for afterEach-style cleanup. Its name
 * starts with the run prefix, so a project named after the folder (no `-p`, no `name:`) is
 * still swept by the global teardown if a test forgets it.
 */
export async function makeTempDir(files: Record<string, string> = {}, prefix = runPrefix()): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (const [relative, content] of Object.entries(files)) {
    const path = join(dir, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `fn` in a temp folder holding `files`, and removes the folder afterwards whatever happens. */
export async function withTempDir<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const temp = await makeTempDir(files);
  try {
    return await fn(temp.dir);
  } finally {
    await temp.remove();
  }
}
