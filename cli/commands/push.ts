// `stack push [service...]`: push the images of services that are built and named (`build:` with
// `image:`, and `build.tags`). Follows the command pattern described at the top of cli/main.ts.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';

interface PushFlags {
  ignorePushFailures?: boolean;
  quiet?: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('push')
    .description("push the services' built images to their registries")
    .argument('[service...]', 'only these services')
    .option('--ignore-push-failures', 'push what can be pushed and warn about the rest')
    .option('-q, --quiet', "don't print progress")
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<PushFlags>): Promise<RunResult> {
  const named = (args[0] as string[] | undefined) ?? [];
  const { loadProject } = await import('../../core/project-loader.js');
  const loaded = await loadProject({ ...ctx.projectOptions(globals, { services: named }), includeDependencies: false });
  await ctx.warn(loaded.warnings);
  if (globals.dryRun) {
    const { pushTargets } = await import('../../core/ops/push.js');
    ctx.out([...pushTargets(loaded.project, named)].map(([image, services]) => `would push ${image} (${services.join(', ')})\n`).join(''));
    return 0;
  }
  const { engineOf } = await import('../project-ref.js');
  const { withProgress } = await import('../operation.js');
  const { push } = await import('../../core/ops/push.js');
  const engine = await engineOf(ctx);
  const common = { engine, env: ctx.io.env, ...(globals.parallel !== undefined ? { parallel: globals.parallel } : {}) };
  const options = { project: loaded.project, ignoreFailures: flags.ignorePushFailures === true };
  const result = flags.quiet
    ? await push({ ...common, ...options })
    : await withProgress(ctx, globals, (sink) => push({ ...common, sink, ...options }));
  await ctx.warn(result.warnings);
  if (result.pushed.length === 0 && result.failed.length === 0) await ctx.warn(['no service has both build: and image:, so there is nothing to push']);
  return 0;
}
