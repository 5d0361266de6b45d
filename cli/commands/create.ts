// `stack create [service...]`: `up --no-start`: networks, volumes and containers, nothing started.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { collectValues } from '../operation.js';
import type { UpFlags } from '../up-options.js';

type CreateFlags = Pick<UpFlags, 'build' | 'pull' | 'forceRecreate' | 'recreate' | 'removeOrphans' | 'scale'>;

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('create')
    .description('create the containers without starting them')
    .argument('[service...]', 'only these services (and what they depend on)')
    .option('--build', 'build images before creating containers')
    .option('--no-build', "don't build an image, even if missing")
    .addOption(new Option('--pull <policy>', 'pull images before creating').choices(['always', 'missing', 'never', 'build']))
    .option('--force-recreate', 'recreate containers even if their configuration and image have not changed')
    .option('--no-recreate', "don't recreate containers that exist, even if their configuration changed")
    .option('--remove-orphans', 'remove containers of services not defined in the spec')
    .option('--scale <service=n>', 'create n containers of a service, overriding the spec (repeatable)', collectValues)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx, command }: CommandInput<CreateFlags>): Promise<RunResult> {
  const options = await import('../up-options.js');
  options.validateUpFlags(flags);
  const { givenFlags } = await import('../operation.js');
  if (givenFlags(command, ['--build', '--no-build']).length === 2) {
    const { UsageError } = await import('../../core/errors.js');
    throw new UsageError('--build and --no-build are incompatible');
  }
  const named = (args[0] as string[] | undefined) ?? [];
  const scale = options.parseScale(flags.scale);
  const { loadProject } = await import('../../core/project-loader.js');
  const loaded = await loadProject(ctx.projectOptions(globals, { services: named }));
  await ctx.warn(loaded.warnings);
  options.checkScaleServices(loaded.project, scale);
  const project = options.withPullPolicy(loaded.project, flags.pull);

  const { engineOf } = await import('../project-ref.js');
  const { opsOptions, printPlan, silentOps, warningsOf, withProgress } = await import('../operation.js');
  const { create } = await import('../../core/ops/up.js');
  const engine = await engineOf(ctx);
  const createOptions = {
    project,
    ...(named.length > 0 ? { services: named } : {}),
    forceRecreate: flags.forceRecreate === true,
    noRecreate: flags.recreate === false,
    removeOrphans: flags.removeOrphans === true,
    build: flags.build === true,
    ...(scale ? { scale } : {}),
  };
  if (globals.dryRun) {
    const { plan, warnings } = await create({ ...silentOps(ctx, globals, engine), ...createOptions, dryRun: true });
    await printPlan(ctx, { nodes: plan.nodes });
    await ctx.warn(warnings);
    return 0;
  }
  try {
    const result = await withProgress(ctx, globals, (sink) => create({ ...opsOptions(ctx, globals, engine, sink), ...createOptions }));
    await ctx.warn(result.warnings);
  } catch (error) {
    await ctx.warn(await warningsOf(error));
    throw error;
  }
  return 0;
}
