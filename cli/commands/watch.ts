// `stack watch [service...]`: bring the project up (unless --no-up), then keep it in step with
// the files: spec saves are reloaded and only the difference applied; develop.watch rules sync
// sources into running containers. Ctrl-C stops watching (the services keep running).
// `runWatch` is also what `stack up --watch` calls once its flags are known: attached, it
// follows the containers' output across reloads (core/ops/logs.ts follow mode), and Ctrl-C
// then stops the services as `up` does. Follows the command pattern at the top of cli/main.ts.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import type { GlobalOptions } from '../global-options.js';
import type { Engine } from '../../core/engine/engine.js';
import type { EventSink } from '../../core/events.js';
import type { ProjectOptions } from '../../core/project-loader.js';
import type { Project } from '../../core/model/types.js';
import type { WatchReport } from '../../core/ops/watch.js';
import { parseSeconds } from '../operation.js';

interface Flags {
  up?: boolean;
  quiet?: boolean;
  timeout?: number;
  debounce?: number;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('watch')
    .description('start the services, then apply spec saves and develop.watch rules as files change')
    .argument('[service...]', 'only these services (and what they depend on)')
    .option('--no-up', "don't bring the services up first")
    .option('--quiet', "don't report file syncs (reloads and errors are still reported)")
    .option('-t, --timeout <seconds>', 'seconds to wait for replaced containers to stop', parseSeconds)
    .option('--debounce <ms>', 'quiet time after a spec save before reloading (default 100)', parseMs)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<Flags>): Promise<RunResult> {
  const named = (args[0] as string[] | undefined) ?? [];
  const loadOptions = ctx.projectOptions(globals, { services: named });
  const { loadProject } = await import('../../core/project-loader.js');
  const loaded = await loadProject(loadOptions);
  await ctx.warn(loaded.warnings);
  const { engineOf } = await import('../project-ref.js');
  const engine = await engineOf(ctx);
  const { up } = await import('../../core/ops/up.js');
  const { opsOptions } = await import('../operation.js');
  const timeout = flags.timeout;
  return runWatch({
    ctx,
    globals,
    engine,
    project: loaded.project,
    loadOptions,
    ...(timeout !== undefined ? { timeout } : {}),
    ...(flags.debounce !== undefined ? { quietMs: flags.debounce } : {}),
    quiet: flags.quiet === true,
    ...(flags.up !== false
      ? { initialUp: (sink: EventSink, signal: AbortSignal) => up({ ...opsOptions(ctx, globals, engine, sink, signal), project: loaded.project, ...(named.length > 0 ? { services: named } : {}), ...(timeout !== undefined ? { timeout } : {}) }) }
      : {}),
  });
}

export interface RunWatchInput {
  ctx: CliContext;
  globals: GlobalOptions;
  engine: Engine;
  /** As loaded by the command. */
  project: Project;
  /** What each reload loads with (the command's -f, --profile, services...). */
  loadOptions: ProjectOptions;
  /** The first convergence, shown with the usual progress display; absent = none (`watch --no-up`). */
  initialUp?: (sink: EventSink, signal: AbortSignal) => Promise<{ warnings: string[] }>;
  /** `up --watch` without -d: follow the containers' output (of `services`; empty = every service, added ones too), and stop the services on Ctrl-C. */
  attached?: { services: string[]; timestamps: boolean; logPrefix: boolean; noColor: boolean };
  timeout?: number;
  quietMs?: number;
  /** Do not report syncs. */
  quiet?: boolean;
}

/** Exit status of an interrupted session, as `up`'s (128 + SIGINT). */
const INTERRUPTED = 130;

export async function runWatch(input: RunWatchInput): Promise<number> {
  const { ctx, globals, engine } = input;
  const { onInterrupt } = await import('../signals.js');
  const { openProgress, warningsOf } = await import('../operation.js');
  // Attached output starts with what the first up starts (whole seconds: nothing is lost).
  const since = Math.floor(Date.now() / 1000);
  const ended = new AbortController();
  let force = (): void => ended.abort();
  const signals = onInterrupt({ graceful: () => ended.abort(), force: () => force() });
  try {
    if (input.initialUp) {
      const progress = await openProgress(ctx, globals, { noColor: input.attached?.noColor ?? false });
      try {
        const result = await input.initialUp(progress.sink, ended.signal);
        await progress.close();
        await ctx.warn(result.warnings);
      } catch (error) {
        await progress.close();
        await ctx.warn(await warningsOf(error));
        // A first apply that fails part-way is reported, and watching still starts: the next save may fix it.
        if (ended.signal.aborted) throw error;
        await printError(ctx, error);
      }
    }
    if (ended.signal.aborted) {
      if (input.attached) await stopServices(input, input.project, new AbortController().signal);
      return INTERRUPTED;
    }

    const json = globals.progress === 'json';
    const sink = json ? (await openProgress(ctx, globals, { mode: 'json' })).sink : undefined;
    const { loadProject } = await import('../../core/project-loader.js');
    const { watch } = await import('../../core/ops/watch.js');
    const logs = input.attached ? followLogs(input, since, ended.signal) : undefined;
    // First Ctrl-C: no new reload starts, the one in flight finishes; second: it is cut short.
    const applyAbort = new AbortController();
    force = () => applyAbort.abort();
    let printing: Promise<void> = Promise.resolve();
    const session = await watch({
      engine,
      signal: applyAbort.signal,
      env: ctx.io.env,
      ...(globals.parallel !== undefined ? { parallel: globals.parallel } : {}),
      ...(sink ? { sink } : {}),
      project: input.project,
      // A .env created while watching changes interpolation: watch for it (unless --env-file replaces it).
      ...(globals.envFiles.length === 0 ? { extraFiles: [(await import('node:path')).join(input.project.workingDir, '.env')] } : {}),
      load: () => loadProject(input.loadOptions),
      ...(input.timeout !== undefined ? { timeout: input.timeout } : {}),
      ...(input.quietMs !== undefined ? { quietMs: input.quietMs } : {}),
      // Chained: a report is printed only once the previous one is (rendering loads modules lazily).
      onReport: (report) => void (printing = printing.then(() => printReport(ctx, report, { json, quiet: input.quiet === true })).catch(() => undefined)),
    });
    const rules = Object.values(input.project.services).reduce((n, s) => n + (s.develop?.watch.length ?? 0), 0);
    if (!json) {
      ctx.io.stderr.write(`Watching ${input.project.sourceFiles.filter((f) => f !== '-').length} spec file(s)${rules > 0 ? ` and ${rules} develop.watch rule(s)` : ''} (Ctrl-C to stop)\n`);
    }
    await new Promise<void>((resolve) => (ended.signal.aborted ? resolve() : ended.signal.addEventListener('abort', () => resolve(), { once: true })));
    await session.close();
    await printing;
    if (input.attached) {
      const kill = new AbortController();
      force = () => kill.abort();
      await stopServices(input, session.project, kill.signal);
      await logs;
    }
    return INTERRUPTED;
  } finally {
    signals.dispose();
  }
}

/** Attached mode: every container of the project, including those created by later reloads. */
async function followLogs(input: RunWatchInput, since: number, signal: AbortSignal): Promise<void> {
  const { logs } = await import('../../core/ops/logs.js');
  const { LogPrinter, logDisplayName } = await import('../render/log-prefix.js');
  const { useColor } = await import('../context.js');
  const attached = input.attached!;
  const color = !attached.noColor && useColor(input.globals.ansi, input.ctx.io.stdout, input.ctx.io.env);
  const printer = new LogPrinter({ stream: input.ctx.io.stdout, color, prefix: attached.logPrefix, timestamps: attached.timestamps, names: [] });
  const stopped = new AbortController();
  // The follow outlives the first Ctrl-C a little, so the stopped containers' last lines still show.
  signal.addEventListener('abort', () => setTimeout(() => stopped.abort(), 3000).unref(), { once: true });
  return logs(
    input.engine,
    { projectName: input.project.name, services: attached.services, follow: true, since, timestamps: attached.timestamps, signal: stopped.signal },
    {
      container: (c) => printer.register(logDisplayName(c)),
      line: (c, line) => printer.line(logDisplayName(c), line),
      end: (c) => printer.flush(logDisplayName(c)),
    },
  ).catch((error: unknown) => printError(input.ctx, error));
}

async function stopServices(input: RunWatchInput, project: Project, signal: AbortSignal): Promise<void> {
  const { stop, kill } = await import('../../core/ops/lifecycle.js');
  const { withProgress, opsOptions } = await import('../operation.js');
  input.ctx.io.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
  await withProgress(input.ctx, input.globals, async (sink) => {
    const ops = opsOptions(input.ctx, input.globals, input.engine, sink);
    const services = Object.keys(project.services);
    const killed = new Promise<void>((resolve) => signal.addEventListener('abort', () => void kill({ ...ops, projectName: project.name, services }).catch(() => undefined).then(() => resolve()), { once: true }));
    await Promise.race([stop({ ...ops, projectName: project.name, services, ...(input.timeout !== undefined ? { timeout: input.timeout } : {}) }), killed]);
  }).catch((error: unknown) => printError(input.ctx, error));
}

async function printReport(ctx: CliContext, report: WatchReport, options: { json: boolean; quiet: boolean }): Promise<void> {
  // With --progress json the one event per report (core/ops/watch.ts) is the whole output.
  if (options.json) return;
  const err = ctx.io.stderr;
  switch (report.kind) {
    case 'applied':
      await ctx.warn([...report.warnings]);
      err.write(`${report.line}\n`);
      return;
    case 'invalid':
      await printError(ctx, report.error);
      err.write('reload skipped: the running services are unchanged; fix the file and save again\n');
      return;
    case 'failed':
      await printError(ctx, report.error);
      err.write(`reload failed after ${(report.durationMs / 1000).toFixed(1)}s: the services above were not all updated; they are retried on the next save\n`);
      return;
    case 'synced':
      if (!options.quiet) err.write(`${report.service}: ${report.initial ? 'initial ' : ''}${report.action} ${plural(report.copied, 'file')} copied, ${report.deleted} deleted in ${report.durationMs} ms\n`);
      return;
    case 'rebuilt':
      err.write(`${report.service}: rebuilt and recreated in ${(report.durationMs / 1000).toFixed(1)}s\n`);
      return;
    case 'refused':
      await ctx.warn([`${report.service}: not synced: ${report.reason}`]);
      return;
    case 'sync-failed':
    case 'watch-error':
      await printError(ctx, report.error);
      return;
  }
}

async function printError(ctx: CliContext, error: unknown): Promise<void> {
  const { renderError } = await import('../render/error.js');
  ctx.io.stderr.write(renderError(error, ctx.renderOptions()));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function parseMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of milliseconds.');
  return n;
}
