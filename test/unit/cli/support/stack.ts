// Runs the BUILT cli (dist/stack.cjs) as users do. The bundle is (re)built once when it is missing
// or older than the sources; a lock directory keeps parallel test files from building at once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const cliPath = join(repoRoot, 'dist/stack.cjs');
export const fixturesDir = join(repoRoot, 'test/fixtures/cli');
export const fixture = (name: string): string => join(fixturesDir, name);

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(repoRoot, 'cli'));
  walk(join(repoRoot, 'core'));
  for (const file of ['scripts/build.mjs', 'scripts/build/schema-validator.mjs', 'schema/compose.schema.json', 'package.json']) newest = Math.max(newest, statSync(join(repoRoot, file)).mtimeMs);
  return newest;
}

const isStale = (): boolean => !existsSync(cliPath) || statSync(cliPath).mtimeMs < newestSourceMtime();

export function ensureBuilt(): void {
  if (!isStale()) return;
  const lock = join(repoRoot, 'dist', '.build-lock');
  mkdirSync(join(repoRoot, 'dist'), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building: wait for it, then use its result.
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
      if (!isStale()) return;
    }
  }
  try {
    if (!isStale()) return;
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface StackResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface StackRunOptions {
  cwd?: string;
  /** Added to a minimal environment (no COMPOSE_* from the developer's shell leaks in). */
  env?: Record<string, string>;
  input?: string;
  /** Flags for node itself, before the script (e.g. `--import` a module recorder). */
  nodeArgs?: string[];
}

export function stack(args: readonly string[], options: StackRunOptions = {}): StackResult {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env };
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A stack trace line as V8 prints it. */
export const STACK_LINE = /^\s+at .+/m;
