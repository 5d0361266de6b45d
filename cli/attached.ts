// `up` once its options are known: apply with a progress display, then (attached mode) follow
// the containers' output with `web-1  | ` prefixes until they exit, as `docker compose up` does:
//   - Ctrl-C: "Gracefully stopping... (press Ctrl+C again to force)", stop (not remove) the
//     project's containers while their last lines and exits still show; a second Ctrl-C kills them;
//   - `--abort-on-container-exit`: the first exit stops everything;
//   - `--exit-code-from S`: the status is S's exit code.
// Ctrl-C during the apply stops scheduling new operations (what is in flight finishes).
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';
import type { Engine, ObservedContainer } from '../core/engine/engine.js';
import type { EventSink } from '../core/events.js';
import type { Project } from '../core/model/types.js';
import type { UpResult } from '../core/ops/up.js';
import type { Plan } from '../core/plan/types.js';
import type { UpFlags } from './up-options.js';
import { isOneOff, serviceOf } from '../core/observe/labels.js';
import { onInterrupt } from './signals.js';
import { openProgress, opsOptions, warningsOf, type ProgressSession } from './operation.js';

export interface RunUpInput {
  ctx: CliContext;
  globals: GlobalOptions;
  flags: UpFlags;
  engine: Engine;
  /** The project as loaded (restricted to the named services and their dependencies). */
  project: Project;
  /** Services named on the command line. */
  named: string[];
  apply: (sink: EventSink, signal: AbortSignal) => Promise<UpResult>;
}

/** Exit status of an interrupted `up`, as Compose's (128 + SIGINT). */
export const INTERRUPTED = 130;
/** After the stop on Ctrl-C, how long the last lines and exits may take to arrive. */
const DRAIN_MS = 3000;

export async function runUp(input: RunUpInput): Promise<number> {
  const { ctx, globals, flags, engine, project } = input;
  const { isAttached } = await import('./up-options.js');
  const attached = isAttached(flags);
  const selected = Object.keys(project.services);
  const startedAt = Date.now();

  const applyAbort = new AbortController();
  let onGraceful = (): void => applyAbort.abort();
  let onForce = (): void => applyAbort.abort();
  const signals = onInterrupt({ graceful: () => onGraceful(), force: () => onForce() });
  const shutdown = new Shutdown(input, selected);
  // Ctrl-C during the apply, attached: what started is stopped (killed after a second Ctrl-C).
  const stopAfterInterrupt = async (): Promise<void> => {
    onGraceful = onForce = () => shutdown.force();
    if (signals.count > 1) shutdown.force();
    else ctx.io.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    await shutdown.stop();
  };

  try {
    let result: UpResult;
    const progress = await openProgress(ctx, globals, { noColor: flags.color === false });
    try {
      result = await input.apply(progress.sink, applyAbort.signal);
      await reportRunning({ engine, projectName: project.name, services: selected, result, sink: progress.sink });
    } catch (error) {
      await progress.close();
      await ctx.warn(await warningsOf(error));
      if (signals.count > 0 && attached) await stopAfterInterrupt();
      throw error;
    }
    await progress.close();
    await ctx.warn(result.warnings);
    if (signals.count > 0) {
      if (attached) await stopAfterInterrupt();
      return INTERRUPTED;
    }
    if (!attached) return 0;

    return await follow(input, result.plan, selected, startedAt, shutdown, (graceful, force) => {
      onGraceful = graceful;
      onForce = force;
    }, () => signals.count);
  } finally {
    signals.dispose();
  }
}

async function follow(
  input: RunUpInput,
  plan: Plan,
  selected: string[],
  startedAt: number,
  shutdown: Shutdown,
  setHandlers: (graceful: () => void, force: () => void) => void,
  interrupts: () => number,
): Promise<number> {
  const { ctx, globals, flags, engine, project } = input;
  const { attachSelection } = await import('./up-options.js');
  const { attach, attachTargets } = await import('../core/ops/attach.js');
  const { LogPrinter, logDisplayName } = await import('./render/log-prefix.js');
  const { colors } = await import('./render/color.js');
  const { useColor } = await import('./context.js');

  const selection = attachSelection({ selected, named: input.named, tagged: flags.attach });
  const started = startedContainers(plan);
  const color = flags.color !== false && useColor(globals.ansi, ctx.io.stdout, ctx.io.env);
  const c = colors(color);
  const targets = await attachTargets(engine, project.name, selection.watch, started);
  const names = targets.filter((t) => selection.print.includes(serviceLabel(t))).map(logDisplayName);
  const printer = new LogPrinter({ stream: ctx.io.stdout, color, prefix: flags.logPrefix !== false, timestamps: flags.timestamps === true, names });
  if (names.length > 0) ctx.out(`Attaching to ${names.join(', ')}\n`);

  const sessionAbort = new AbortController();
  const graceful = (): void => {
    ctx.io.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    void shutdown.stop().then(() => drain(sessionAbort));
  };
  setHandlers(graceful, () => shutdown.force());
  // A Ctrl-C between the end of the apply and now was only recorded: act on it.
  if (interrupts() > 0) graceful();
  const cascade = flags.abortOnContainerExit === true || flags.exitCodeFrom !== undefined;
  const outcome = await attach(
    engine,
    {
      projectName: project.name,
      services: selection.watch,
      print: selection.print,
      include: started,
      // Whole seconds: a line written in the same second just before `up` may show; none is lost.
      since: Math.floor(startedAt / 1000),
      timestamps: flags.timestamps === true,
      stopOnFirstExit: cascade,
      signal: sessionAbort.signal,
    },
    {
      attached: (container) => printer.register(logDisplayName(container)),
      line: (container, line) => printer.line(logDisplayName(container), line),
      exited: (container, exitCode) => {
        const name = logDisplayName(container);
        printer.flush(name);
        ctx.out(`${c[printer.colorFor(name)](`${name} exited with code ${exitCode}`)}\n`);
      },
    },
  );
  printer.flush();

  if (outcome.reason === 'first-exit' && interrupts() === 0) {
    ctx.out('Aborting on container exit...\n');
    await shutdown.stop();
  } else if (interrupts() > 0) {
    await shutdown.stop();
  }
  shutdown.throwIfFailed();
  if (interrupts() > 0) return INTERRUPTED;
  if (flags.exitCodeFrom !== undefined) return exitCodeOf(engine, project.name, flags.exitCodeFrom, outcome.exits);
  if (outcome.reason === 'first-exit') return outcome.exits[0]?.exitCode ?? 0;
  return 0;
}

/** Stops the selected services once (Ctrl-C, abort on exit); `force()` kills them instead. */
class Shutdown {
  private stopping: Promise<void> | undefined;
  private killing: Promise<void> | undefined;
  private readonly stopAbort = new AbortController();
  private progress: Promise<ProgressSession> | undefined;
  private error: unknown;

  constructor(
    private readonly input: RunUpInput,
    private readonly services: string[],
  ) {}

  stop(): Promise<void> {
    return (this.stopping ??= this.run());
  }

  force(): void {
    this.stopAbort.abort();
    if (this.killing) return;
    this.killing = (async () => {
      const { kill } = await import('../core/ops/lifecycle.js');
      const progress = await this.session();
      await kill({ ...this.ops(progress.sink), projectName: this.input.project.name, services: this.services }).catch(() => undefined);
    })();
    // Ctrl-C twice before anything was running: the kill is the whole shutdown.
    this.stopping ??= this.run();
  }

  /** A failed stop is reported once the output has ended (never on a forced stop: the kill took over). */
  throwIfFailed(): void {
    if (this.error !== undefined && !this.killing) throw this.error;
  }

  private async run(): Promise<void> {
    const { stop } = await import('../core/ops/lifecycle.js');
    const progress = await this.session();
    try {
      if (!this.stopAbort.signal.aborted) {
        await stop({
          ...this.ops(progress.sink, this.stopAbort.signal),
          projectName: this.input.project.name,
          services: this.services,
          ...(this.input.flags.timeout !== undefined ? { timeout: this.input.flags.timeout } : {}),
        });
      }
    } catch (error) {
      this.error = error;
    }
    await this.killing;
    await progress.close();
  }

  private session(): Promise<ProgressSession> {
    return (this.progress ??= openProgress(this.input.ctx, this.input.globals, { noColor: this.input.flags.color === false }));
  }

  private ops(sink: EventSink, signal?: AbortSignal): ReturnType<typeof opsOptions> {
    return opsOptions(this.input.ctx, this.input.globals, this.input.engine, sink, signal);
  }
}

/** The session ends by itself when the stopped containers' exits arrive; this bounds the wait. */
function drain(session: AbortController): void {
  setTimeout(() => session.abort(), DRAIN_MS).unref();
}

/** Containers this run created or started: a one-shot among them counts even if it is done already. */
export function startedContainers(plan: Plan): string[] {
  const names = new Set<string>();
  for (const node of plan.nodes) {
    const op = node.op;
    if (op.kind === 'create-container') names.add(op.name);
    else if (op.kind === 'start-container' || op.kind === 'restart-container') names.add(op.container.name);
  }
  return [...names];
}

/** Names of the containers the plan acts on. */
function touchedContainers(plan: Plan): Set<string> {
  const names = new Set<string>();
  for (const node of plan.nodes) {
    const op = node.op;
    if (op.kind === 'create-container') names.add(op.name);
    else if ('container' in op) names.add(op.container.name);
  }
  return names;
}

/** Compose lists the containers it left alone as `Running`, so a no-op `up` still says where things are. */
async function reportRunning(input: { engine: Engine; projectName: string; services: string[]; result: UpResult; sink: EventSink }): Promise<void> {
  const { engine, projectName, services, result, sink } = input;
  const touched = touchedContainers(result.plan);
  // What the plan did not touch is as `up` observed it: no second listing of the project.
  const containers = result.observed ? untouchedServiceContainers(result.observed, services) : await listed(engine, projectName, services);
  for (const container of containers) {
    if (touched.has(container.name) || container.state !== 'running') continue;
    sink.emit({ kind: 'container', resource: container.name, action: 'Running', status: 'done', timestamp: Date.now() });
  }
}

async function listed(engine: Engine, projectName: string, services: string[]): Promise<ObservedContainer[]> {
  const { projectContainers } = await import('../core/ops/context.js');
  return projectContainers(engine, projectName, { services });
}

/** The service containers (no one-offs) of `services`, by name, as projectContainers gives them. */
function untouchedServiceContainers(observed: readonly ObservedContainer[], services: string[]): ObservedContainer[] {
  const wanted = new Set(services);
  return observed
    .filter((c) => !isOneOff(c.labels) && wanted.has(serviceOf(c.labels) ?? ''))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function exitCodeOf(engine: Engine, projectName: string, service: string, exits: readonly { service: string; exitCode: number }[]): Promise<number> {
  const seen = exits.find((exit) => exit.service === service);
  if (seen) return seen.exitCode;
  const { projectContainers } = await import('../core/ops/context.js');
  const [container] = await projectContainers(engine, projectName, { services: [service] });
  const inspected = container ? await engine.inspectContainer(container.id) : undefined;
  return inspected?.exitCode ?? container?.exitCode ?? 0;
}

function serviceLabel(container: ObservedContainer): string {
  return container.labels['com.docker.compose.service'] ?? '';
}
