// What the state-changing verbs (up, down, create, start, stop, ...) share: the progress display
// around one core operation, the options every operation takes, the plan printed by --dry-run,
// and loading the spec only when it helps. Light imports only: the heavy parts are `await import`ed.
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';
import type { Engine } from '../core/engine/engine.js';
import type { EventSink } from '../core/events.js';
import type { Project } from '../core/model/types.js';
import type { ProgressRenderer } from './render/progress.js';

export interface ProgressSession {
  sink: EventSink;
  /** Ends the display (idempotent): a live tty frame is finished before anything else is printed. */
  close(): Promise<void>;
}

/** `--no-color` wins; otherwise `--ansi` (undefined = let the renderer decide from the stream and env). */
export function colorFlag(globals: GlobalOptions, noColor = false): boolean | undefined {
  if (noColor) return false;
  return globals.ansi === 'always' ? true : globals.ansi === 'never' ? false : undefined;
}

/** The progress display per `--progress`, on stderr (stdout stays for data and logs, as in Compose). */
export async function openProgress(ctx: CliContext, globals: GlobalOptions, options: { noColor?: boolean; mode?: string } = {}): Promise<ProgressSession> {
  const { createProgressRenderer } = await import('./render/progress.js');
  const color = colorFlag(globals, options.noColor);
  const renderer: ProgressRenderer = await createProgressRenderer({
    mode: options.mode ?? globals.progress,
    stream: ctx.io.stderr,
    otherStream: ctx.io.stdout,
    env: ctx.io.env,
    ...(color === undefined ? {} : { color }),
  });
  let closed: Promise<void> | undefined;
  return { sink: renderer, close: () => (closed ??= renderer.close()) };
}

/** Runs `fn` with a progress display that is closed afterwards, also when `fn` throws. */
export async function withProgress<T>(ctx: CliContext, globals: GlobalOptions, fn: (sink: EventSink) => Promise<T>, options: { noColor?: boolean } = {}): Promise<T> {
  const progress = await openProgress(ctx, globals, options);
  try {
    return await fn(progress.sink);
  } finally {
    await progress.close();
  }
}

/** Engine, parallelism and environment: the OpsOptions every core operation takes. */
export function opsOptions(ctx: CliContext, globals: GlobalOptions, engine: Engine, sink: EventSink, signal?: AbortSignal): { engine: Engine; sink: EventSink; env: Record<string, string | undefined>; parallel?: number; signal?: AbortSignal } {
  return {
    engine,
    sink,
    env: ctx.io.env,
    ...(globals.parallel !== undefined ? { parallel: globals.parallel } : {}),
    ...(signal ? { signal } : {}),
  };
}

/** OpsOptions without progress: dry runs, and reads before anything is shown. */
export function silentOps(ctx: CliContext, globals: GlobalOptions, engine: Engine): { engine: Engine; env: Record<string, string | undefined>; parallel?: number } {
  return { engine, env: ctx.io.env, ...(globals.parallel !== undefined ? { parallel: globals.parallel } : {}) };
}

/** `--dry-run`: the plan, one line per resource action with its reason, on stdout. */
export async function printPlan(ctx: CliContext, plan: { nodes: readonly PlanLikeNode[]; warnings?: readonly string[] }, options: { empty?: string } = {}): Promise<void> {
  const { formatPlan } = await import('../core/plan/format.js');
  // kill/pause/unpause are lifecycle-only operations that formatPlan does not know: one line each.
  const lifecycle = plan.nodes.filter((node) => LIFECYCLE_ONLY.has(node.op.kind));
  const rest = plan.nodes.filter((node) => !LIFECYCLE_ONLY.has(node.op.kind));
  const lines = lifecycle.map((node) => `${node.resource}: ${node.op.kind.replace(/-container$/, '')}${signalOf(node.op)}`);
  const text = [formatPlan({ nodes: rest, warnings: plan.warnings ?? [] } as Parameters<typeof formatPlan>[0]), ...lines.sort()].filter((part) => part !== '').join('\n');
  if (text === '') ctx.io.stderr.write(`${options.empty ?? 'Nothing to do.'}\n`);
  else ctx.out(`${text}\n`);
}

interface PlanLikeNode {
  resource: string;
  op: { kind: string; signal?: string };
}

const LIFECYCLE_ONLY = new Set(['kill-container', 'pause-container', 'unpause-container']);

function signalOf(op: PlanLikeNode['op']): string {
  return op.kind === 'kill-container' ? ` (${op.signal ?? 'SIGKILL'})` : '';
}

/**
 * The spec when it loads, else undefined: verbs that work from the project name (down, stop...)
 * use it only to know more (orphans, the project's volumes, service names), never to refuse.
 */
export async function tryLoadProject(ctx: CliContext, globals: GlobalOptions): Promise<{ project: Project; warnings: string[] } | undefined> {
  try {
    const { loadProject } = await import('../core/project-loader.js');
    const { project, warnings } = await loadProject(ctx.projectOptions(globals));
    return { project, warnings };
  } catch {
    return undefined;
  }
}

/** Warnings of an operation that failed part-way are still worth showing. */
export async function warningsOf(error: unknown): Promise<string[]> {
  const { ApplyFailedError } = await import('../core/apply/executor.js');
  return error instanceof ApplyFailedError ? error.warnings : [];
}

/** `-t 10`: seconds, a non-negative integer. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of seconds.');
  return n;
}

/** `--attach` and `--no-attach` share one list (commander stores `--no-x` under `x`): `+svc` / `-svc`. */
export const tagAttach =
  (sign: '+' | '-') =>
  (value: string, previous: unknown): string[] => [...(Array.isArray(previous) ? (previous as string[]) : []), `${sign}${value}`];

/** Repeatable flags. */
export const collectValues = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * Which of `names` were given on the command line. Commander stores `--build` and `--no-build`
 * in one value (the last wins), so a conflict between them is only visible in the raw arguments.
 */
export function givenFlags(command: Command, names: readonly string[]): string[] {
  let root = command;
  while (root.parent) root = root.parent;
  // Set by commander on parse, but not part of its typings.
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const end = raw.indexOf('--');
  const args = end === -1 ? raw : raw.slice(0, end);
  return names.filter((name) => args.includes(name));
}
