// `stack build [service...]`: build the images of services with `build:` (in parallel; the global
// `--parallel 1` builds one by one). Follows the command pattern described at the top of cli/main.ts.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { collectValues } from '../operation.js';

interface BuildFlags {
  noCache?: boolean;
  pull?: boolean;
  buildArg?: string[];
  quiet?: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('build')
    .description('build the images of services that have a build section')
    .argument('[service...]', 'only these services')
    .option('--no-cache', 'do not use the build cache')
    .option('--pull', 'always try to pull newer versions of the base images')
    .option('--build-arg <key=value>', 'set a build argument (repeatable; `KEY` alone takes it from the environment)', collectValues)
    .option('-q, --quiet', "don't print the build output")
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<BuildFlags & { cache?: boolean }>): Promise<RunResult> {
  const named = (args[0] as string[] | undefined) ?? [];
  const buildArgs = parseBuildArgs(flags.buildArg ?? [], ctx.io.env);
  const { loadProject } = await import('../../core/project-loader.js');
  // Named services only: what they depend on is not built (as in Compose without --with-dependencies).
  const loaded = await loadProject({ ...ctx.projectOptions(globals, { services: named }), includeDependencies: false });
  await ctx.warn(loaded.warnings);
  if (globals.dryRun) {
    // Compose's `build --dry-run` has been known to build (compose#13040): this one only says what it would do.
    const { buildableServices } = await import('../../core/ops/build.js');
    const { serviceImage } = await import('../../core/plan/naming.js');
    const names = buildableServices(loaded.project, named);
    ctx.out(names.map((name) => `would build ${serviceImage(loaded.project.name, loaded.project.services[name]!)} (${name})\n`).join(''));
    return 0;
  }
  const { engineOf } = await import('../project-ref.js');
  const { opsOptions, withProgress } = await import('../operation.js');
  const { build } = await import('../../core/ops/build.js');
  const engine = await engineOf(ctx);
  const result = await withProgress(ctx, globals, (sink) =>
    build({
      ...opsOptions(ctx, globals, engine, sink),
      project: loaded.project,
      ...(named.length > 0 ? { services: named } : {}),
      // commander stores `--no-cache` as `cache: false`.
      noCache: flags.cache === false,
      pull: flags.pull === true,
      ...(Object.keys(buildArgs).length > 0 ? { buildArgs } : {}),
      quiet: flags.quiet === true,
    }),
  );
  await ctx.warn(result.warnings);
  return 0;
}

/** `K=V` as is; `K` alone takes K from the environment, and is dropped when unset (as docker does). */
export function parseBuildArgs(values: readonly string[], env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq > 0) out[value.slice(0, eq)] = value.slice(eq + 1);
    else if (eq === -1 && env[value] !== undefined) out[value] = env[value] as string;
  }
  return out;
}
