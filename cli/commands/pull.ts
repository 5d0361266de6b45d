// `stack pull [service...]`: pull the services' images, in parallel, with per-image progress.
// Follows the command pattern described at the top of cli/main.ts.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';

interface PullFlags {
  ignorePullFailures?: boolean;
  includeDeps?: boolean;
  ignoreBuildable?: boolean;
  quiet?: boolean;
  policy?: 'always' | 'missing';
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('pull')
    .description("pull the services' images")
    .argument('[service...]', 'only these services')
    .option('--ignore-pull-failures', 'pull what can be pulled and warn about the rest')
    .option('--include-deps', 'also pull the images of the services the named ones depend on')
    .option('--ignore-buildable', 'skip images of services that can be built')
    .addOption(new Option('--policy <policy>', 'pull every image ("always") or only those not present locally ("missing")').choices(['always', 'missing']))
    .option('-q, --quiet', "don't print progress")
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<PullFlags>): Promise<RunResult> {
  const named = (args[0] as string[] | undefined) ?? [];
  const { loadProject } = await import('../../core/project-loader.js');
  const loaded = await loadProject({ ...ctx.projectOptions(globals, { services: named }), includeDependencies: flags.includeDeps === true });
  await ctx.warn(loaded.warnings);
  const { engineOf } = await import('../project-ref.js');
  const { withProgress } = await import('../operation.js');
  const { pull } = await import('../../core/ops/pull.js');
  const engine = await engineOf(ctx);
  const common = { engine, env: ctx.io.env, ...(globals.parallel !== undefined ? { parallel: globals.parallel } : {}) };
  const options = {
    project: loaded.project,
    ...(flags.policy ? { policy: flags.policy } : {}),
    ignoreFailures: flags.ignorePullFailures === true,
    ignoreBuildable: flags.ignoreBuildable === true,
  };
  if (globals.dryRun) {
    const planned = await pull({ ...common, ...options, dryRun: true });
    ctx.out(planned.pulled.map((i) => `would pull ${i.image} (${i.services.join(', ')})\n`).join(''));
    ctx.out(planned.skipped.map((i) => `skip ${i.image} (${i.services.join(', ')}): ${i.reason ?? ''}\n`).join(''));
    return 0;
  }
  const result = flags.quiet
    ? await pull({ ...common, ...options })
    : await withProgress(ctx, globals, (sink) => pull({ ...common, sink, ...options }));
  await ctx.warn(result.warnings);
  return 0;
}
