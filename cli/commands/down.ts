// `stack down [service...]`: stop and remove the project's containers, then its networks (and with
// -v its volumes). Works from the project NAME and the engine's labels (core/ops/down.ts): a broken
// or deleted spec never keeps a project from being removed. The spec, when it loads, tells orphans
// apart and which volumes are the project's.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { parseSeconds } from '../operation.js';


interface DownFlags {
  volumes?: boolean;
  removeOrphans?: boolean;
  rmi?: 'local' | 'all';
  timeout?: number;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('down')
    .description("stop and remove the project's containers and networks")
    .argument('[service...]', 'only these services (networks and volumes are then kept)')
    .option('-v, --volumes', 'also remove named volumes declared in the spec and anonymous volumes of the containers')
    .option('--remove-orphans', 'also remove containers of services not defined in the spec')
    .addOption(new Option('--rmi <which>', 'remove images used by the services: "local" (no custom tag) or "all"').choices(['local', 'all']))
    .option('-t, --timeout <seconds>', 'seconds to wait for a container to stop before killing it', parseSeconds)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<DownFlags>): Promise<RunResult> {
  const { projectRefOf, engineOf } = await import('../project-ref.js');
  const { opsOptions, printPlan, silentOps, tryLoadProject, warningsOf, withProgress } = await import('../operation.js');
  const { down } = await import('../../core/ops/down.js');
  const [ref, engine, loaded] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx), tryLoadProject(ctx, globals)]);
  const services = (args[0] as string[] | undefined) ?? [];
  const options = {
    projectName: ref.name,
    ...(loaded && loaded.project.name === ref.name ? { project: loaded.project } : {}),
    removeVolumes: flags.volumes === true,
    removeOrphans: flags.removeOrphans === true || isTruthy(ctx.io.env['COMPOSE_REMOVE_ORPHANS']),
    ...(flags.rmi ? { rmi: flags.rmi } : {}),
    ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
    ...(services.length > 0 ? { services } : {}),
  };
  if (globals.dryRun) {
    const { plan, warnings } = await down({ ...silentOps(ctx, globals, engine), ...options, dryRun: true });
    await printPlan(ctx, { nodes: plan.nodes });
    await ctx.warn(warnings);
    return 0;
  }
  try {
    const result = await withProgress(ctx, globals, (sink) => down({ ...opsOptions(ctx, globals, engine, sink), ...options }));
    await ctx.warn(result.warnings);
  } catch (error) {
    await ctx.warn(await warningsOf(error));
    throw error;
  }
  return 0;
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
