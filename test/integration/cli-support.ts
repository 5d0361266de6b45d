// Shared by the CLI integration tests of the state-changing verbs (cli-up, cli-lifecycle,
// cli-legacy): a project folder + unique name, `stack -p <name> ...` through the built CLI, a
// spawned CLI for signal tests, and engine reads. The bundle is (re)built once if stale.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectEngine } from '../../core/engine/connect.js';
import type { Engine, ObservedContainer } from '../../core/engine/engine.js';
import { ensureBuilt } from '../unit/cli/support/stack.js';
import { runStack, STACK_BIN, type RunResult } from './support/cli.js';
import { cleanupProject, eventually, makeTempDir, RUN_ID_ENV, uniqueProjectName } from './support/project.js';

export { TEST_IMAGE, eventually } from './support/project.js';

/**
 * Builds the bundle if stale, once per test run: a rebuild replaces dist/chunks, which would
 * break CLIs that other test files are running at that moment (their lazy imports would fail).
 */
export function buildCli(): void {
  const marker = join(tmpdir(), `stack-cli-tests-built-${process.env[RUN_ID_ENV] ?? 'norun'}`);
  if (existsSync(marker)) return;
  ensureBuilt();
  writeFileSync(marker, '');
}

export interface CliProject {
  name: string;
  dir: string;
  engine: Engine;
  /** `stack -p <name> ...args` in the folder. */
  stack(args: readonly string[], options?: { env?: Record<string, string | undefined>; timeoutMs?: number; input?: string }): Promise<RunResult>;
  /** Spawns `stack -p <name> ...args` and leaves it running (signal tests). */
  spawn(args: readonly string[]): SpawnedStack;
  write(file: string, text: string): Promise<void>;
  containers(): Promise<ObservedContainer[]>;
  container(service: string, n?: number): Promise<ObservedContainer | undefined>;
  cleanup(): Promise<void>;
}

export interface SpawnedStack {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit status (128 + n when killed by a signal). */
  exited: Promise<number>;
}

export async function cliProject(prefix: string, files: Record<string, string>): Promise<CliProject> {
  const name = uniqueProjectName(prefix);
  const temp = await makeTempDir(files);
  const engine = connectEngine();
  return {
    name,
    dir: temp.dir,
    engine,
    stack: (args, options = {}) => runStack(['-p', name, ...args], { cwd: temp.dir, ...options }),
    spawn(args) {
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'FORCE_COLOR') env[key] = value;
      env['NO_COLOR'] = '1';
      const child = spawn(process.execPath, [STACK_BIN, '-p', name, ...args], { cwd: temp.dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
      child.stdin.end();
      const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
      return { child, stdout: () => out, stderr: () => err, exited };
    },
    write: (file, text) => writeFile(join(temp.dir, file), text),
    async containers() {
      const list = await engine.listContainers({ labels: [`com.docker.compose.project=${name}`], all: true });
      return list.sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    container: (service, n = 1) => engine.inspectContainer(`${name}-${service}-${n}`),
    async cleanup() {
      try {
        await cleanupProject(engine, name);
      } finally {
        await temp.remove();
      }
    },
  };
}

/** Kills a spawned CLI that a failed test left running. */
export function killIfRunning(spawned: SpawnedStack | undefined): void {
  if (spawned && spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill('SIGKILL');
}

export function states(containers: readonly ObservedContainer[]): Record<string, string> {
  return Object.fromEntries(containers.map((c) => [c.labels['com.docker.compose.service'] ?? c.name, c.state]));
}

/** Waits until the spawned CLI's stdout (or stderr) matches every pattern; on timeout, shows what it printed. */
export async function waitForOutput(run: SpawnedStack, patterns: readonly RegExp[], options: { stream?: 'stdout' | 'stderr'; timeoutMs?: number } = {}): Promise<void> {
  const read = (): string => (options.stream === 'stderr' ? run.stderr() : run.stdout());
  try {
    await eventually(() => patterns.every((pattern) => pattern.test(read())), { timeoutMs: options.timeoutMs ?? 60_000 });
  } catch (error) {
    throw new Error(`${patterns.join(', ')} not printed in time (exit: ${run.child.exitCode})\n--- stdout ---\n${run.stdout()}\n--- stderr ---\n${run.stderr()}`, { cause: error });
  }
}
