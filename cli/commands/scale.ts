// `stack scale SERVICE=N...`: add or remove replicas; existing containers are not recreated.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';

interface ScaleFlags {
  /** false = `--no-deps`. */
  deps: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('scale')
    .description('set the number of containers of services')
    .argument('<service=n...>', 'services and their number of containers, e.g. web=3')
    .option('--no-deps', "don't start the services they depend on")
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<ScaleFlags>): Promise<RunResult> {
  const options = await import('../up-options.js');
  const scale = options.parseScale((args[0] as string[] | undefined) ?? []) ?? {};
  const names = Object.keys(scale);
  const { loadProject } = await import('../../core/project-loader.js');
  const loaded = await loadProject({ ...ctx.projectOptions(globals, { services: names }), includeDependencies: flags.deps });
  await ctx.warn(loaded.warnings);
  options.checkScaleServices(loaded.project, scale);

  const { engineOf } = await import('../project-ref.js');
  const { opsOptions, printPlan, silentOps, warningsOf, withProgress } = await import('../operation.js');
  const { scale: scaleProject } = await import('../../core/ops/up.js');
  const engine = await engineOf(ctx);
  const scaleOptions = { project: loaded.project, scale, noDeps: !flags.deps };
  if (globals.dryRun) {
    const { plan, warnings } = await scaleProject({ ...silentOps(ctx, globals, engine), ...scaleOptions, dryRun: true });
    await printPlan(ctx, { nodes: plan.nodes });
    await ctx.warn(warnings);
    return 0;
  }
  try {
    const result = await withProgress(ctx, globals, (sink) => scaleProject({ ...opsOptions(ctx, globals, engine, sink), ...scaleOptions }));
    await ctx.warn(result.warnings);
  } catch (error) {
    await ctx.warn(await warningsOf(error));
    throw error;
  }
  return 0;
}
