// `stack rm [service...]`: remove stopped containers. Never silently: without -f it asks
// ("Going to remove ... Are you sure? [yN]") on a terminal, and refuses when there is no terminal
// to ask on. `-s` stops running containers first; running ones are otherwise left alone.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { parseSeconds } from '../operation.js';


interface RmFlags {
  force?: boolean;
  stop?: boolean;
  volumes?: boolean;
  timeout?: number;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('rm')
    .description('remove stopped containers')
    .argument('[service...]', 'only these services')
    .option('-f, --force', "don't ask to confirm the removal")
    .option('-s, --stop', 'stop the containers first, if needed')
    .option('-v, --volumes', 'remove the anonymous volumes attached to the containers')
    .option('-t, --timeout <seconds>', 'with -s: seconds to wait for a container to stop before killing it', parseSeconds)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<RmFlags>): Promise<RunResult> {
  const { projectRefOf, engineOf } = await import('../project-ref.js');
  const { opsOptions, printPlan, silentOps, tryLoadProject, warningsOf, withProgress } = await import('../operation.js');
  const { rm } = await import('../../core/ops/lifecycle.js');
  const services = (args[0] as string[] | undefined) ?? [];
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const loaded = services.length > 0 ? await tryLoadProject(ctx, globals) : undefined;
  const options = {
    projectName: ref.name,
    services,
    ...(loaded && loaded.project.name === ref.name ? { project: loaded.project } : {}),
    force: flags.force === true,
    stopFirst: flags.stop === true,
    volumes: flags.volumes === true,
    ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
  };

  const preview = await rm({ ...silentOps(ctx, globals, engine), ...options, dryRun: true });
  if (globals.dryRun) {
    await printPlan(ctx, { nodes: preview.plan.nodes });
    await ctx.warn(preview.warnings);
    return 0;
  }
  const names = preview.plan.nodes.flatMap((node) => (node.op.kind === 'remove-container' ? [node.op.container.name] : []));
  if (names.length === 0) {
    await ctx.warn(preview.warnings);
    ctx.io.stderr.write('No stopped containers\n');
    return 0;
  }
  if (!flags.force) {
    const { canPrompt, confirm } = await import('../prompt.js');
    if (!canPrompt()) {
      const { UsageError } = await import('../../core/errors.js');
      throw new UsageError(
        `refusing to remove ${names.length} container(s) without confirmation (${names.join(', ')}): there is no terminal to ask on`,
        'pass -f/--force to remove them without asking',
      );
    }
    const answer = await confirm(`Going to remove ${names.join(', ')}\nAre you sure? [yN] `);
    if (!answer) return 0;
  }
  try {
    const result = await withProgress(ctx, globals, (sink) => rm({ ...opsOptions(ctx, globals, engine, sink), ...options }));
    await ctx.warn(result.warnings);
  } catch (error) {
    await ctx.warn(await warningsOf(error));
    throw error;
  }
  return 0;
}
