// start, stop, restart, kill, pause, unpause: one runner. They act on the project by NAME and the
// engine's labels (core/ops/lifecycle.ts), so they work when the spec is broken or gone; the spec,
// when it loads, is only used to check the service names given.
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';
import type { LifecycleOptions, LifecycleResult } from '../core/ops/lifecycle.js';

export type LifecycleVerb = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause';

export interface LifecycleInput {
  ctx: CliContext;
  globals: GlobalOptions;
  verb: LifecycleVerb;
  services: string[];
  /** Verb-specific options (timeout, killSignal, wait...). */
  extra?: Record<string, unknown>;
}

export async function runLifecycle(input: LifecycleInput): Promise<number> {
  const { ctx, globals, verb, services } = input;
  const { projectRefOf, engineOf } = await import('./project-ref.js');
  const { opsOptions, printPlan, silentOps, tryLoadProject, warningsOf, withProgress } = await import('./operation.js');
  const ops = await import('../core/ops/lifecycle.js');
  const fn = ops[verb] as (options: LifecycleOptions & Record<string, unknown>) => Promise<LifecycleResult>;
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const loaded = services.length > 0 ? await tryLoadProject(ctx, globals) : undefined;
  const base = {
    projectName: ref.name,
    services,
    ...(loaded && loaded.project.name === ref.name ? { project: loaded.project } : {}),
    ...input.extra,
  };
  if (globals.dryRun) {
    const { plan, warnings } = await fn({ ...silentOps(ctx, globals, engine), ...base, dryRun: true });
    await printPlan(ctx, { nodes: plan.nodes });
    await ctx.warn(warnings);
    return 0;
  }
  try {
    const result = await withProgress(ctx, globals, (sink) => fn({ ...opsOptions(ctx, globals, engine, sink), ...base }));
    await ctx.warn(result.warnings);
  } catch (error) {
    await ctx.warn(await warningsOf(error));
    throw error;
  }
  return 0;
}
