// Shared by the verbs that act on a project by name (ps, logs, exec, run, port, top, images,
// wait): the project name without loading the spec, the engine client, flag parsers, Ctrl-C.
import { InvalidArgumentError } from 'commander';
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';
import type { Engine } from '../core/engine/engine.js';
import type { ConnectOptions } from '../core/engine/connect.js';
import type { EngineTrace } from '../core/engine/docker.js';
import type { ProjectRef } from '../core/ops/project-ref.js';

export async function projectRefOf(ctx: CliContext, globals: GlobalOptions): Promise<ProjectRef> {
  const { resolveProjectRef } = await import('../core/ops/project-ref.js');
  return resolveProjectRef(ctx.projectOptions(globals));
}

/** The engine client; with --debug every engine call is reported on stderr (see engineTrace). */
export async function engineOf(ctx: CliContext): Promise<Engine> {
  const { connectEngine } = await import('../core/engine/connect.js');
  return connectEngine(engineOptions(ctx));
}

/** How a verb connects: the environment, and the call trace of --debug. */
function engineOptions(ctx: CliContext): ConnectOptions {
  const options: ConnectOptions = { env: ctx.io.env };
  if (ctx.globals?.debug) options.trace = engineTrace(ctx);
  if (ctx.io.earlyEngine !== undefined) options.early = ctx.io.earlyEngine;
  return options;
}

/** `debug: engine 12.3 ms  list containers` (with the resource and any refusal's status): where a command spends its time. */
export function engineTrace(ctx: CliContext): EngineTrace {
  return (call) => {
    const what = call.resource === undefined ? call.operation : `${call.operation} ${call.resource}`;
    const failed = call.outcome === 'error' ? `  (failed${call.statusCode !== undefined ? `: HTTP ${call.statusCode}` : ''})` : '';
    ctx.io.stderr.write(`debug: engine ${call.ms.toFixed(1).padStart(7)} ms  ${what}${failed}\n`);
  };
}

/** Repeatable flags: commander's collector. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** `--index N`: a positive integer. */
export function parseIndex(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** An AbortSignal that fires on Ctrl-C (SIGINT) or SIGTERM; `dispose` removes the handlers. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}
