// Shared by the verbs that act on a project by name (ps, logs, exec, run, port, top, images,
// wait): the project name without loading the spec, the engine client, flag parsers, Ctrl-C.
import { InvalidArgumentError } from 'commander';
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';
import type { Engine } from '../core/engine/engine.js';
import type { ProjectRef } from '../core/ops/project-ref.js';

export async function projectRefOf(ctx: CliContext, globals: GlobalOptions): Promise<ProjectRef> {
  const { resolveProjectRef } = await import('../core/ops/project-ref.js');
  return resolveProjectRef(ctx.projectOptions(globals));
}

/** The full engine client (dockerode), loaded only by verbs that stream or change things. */
export async function engineOf(ctx: CliContext): Promise<Engine> {
  const { connectEngine } = await import('../core/engine/connect.js');
  return connectEngine({ env: ctx.io.env });
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
