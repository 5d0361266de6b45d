// `stack up [service...]`: converge the project (observe -> plan -> apply), then, unless detached,
// stay attached to the containers' output until they exit or Ctrl-C stops them (cli/attached.ts).
// `--dry-run` prints the plan (one line per action, with its reason and the changed keys) and
// changes nothing. Follows the command pattern described at the top of cli/main.ts.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { collectValues, parseSeconds, tagAttach } from '../operation.js';
import type { UpFlags } from '../up-options.js';


interface Flags extends UpFlags {
  watch?: boolean;
  alwaysRecreateDeps?: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('up')
    .description('create and start the containers, then follow their output (unless -d)')
    .argument('[service...]', 'only these services (and what they depend on)')
    .option('-d, --detach', 'run in the background: return once started')
    .option('--build', 'build images before starting containers')
    .option('--no-build', "don't build an image, even if missing")
    .addOption(new Option('--pull <policy>', 'pull images before running').choices(['always', 'missing', 'never', 'build']))
    .option('--force-recreate', 'recreate containers even if their configuration and image have not changed')
    .option('--no-recreate', "don't recreate containers that exist, even if their configuration changed")
    .option('--always-recreate-deps', 'recreate dependent containers too')
    .option('--no-start', "don't start the services after creating them")
    .option('--no-deps', "don't start the services the named ones depend on")
    .option('--remove-orphans', 'remove containers of services not defined in the spec')
    .option('--scale <service=n>', 'run n containers of a service, overriding the spec (repeatable)', collectValues)
    .option('--wait', 'wait until the services are running (and healthy when they have a healthcheck); implies -d')
    .option('--wait-timeout <seconds>', 'maximum time to wait with --wait', parseSeconds)
    .option('--abort-on-container-exit', 'stop all containers when any container exits')
    .option('--exit-code-from <service>', "return the exit code of this service's container (implies --abort-on-container-exit)")
    .option('--attach <service>', 'show the output of this service only (repeatable)', tagAttach('+'))
    .option('--no-attach <service>', "don't show the output of this service (repeatable)", tagAttach('-'))
    .option('--timestamps', 'show timestamps in the output')
    .option('--no-color', 'monochrome output')
    .option('--no-log-prefix', "don't print the container name in front of each line")
    .option('-w, --watch', 'watch the spec and develop.watch sources, and apply each save (stack watch)')
    .option('-t, --timeout <seconds>', 'seconds to wait for containers to stop (when replaced, or on Ctrl-C)', parseSeconds)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx, command }: CommandInput<Flags>): Promise<RunResult> {
  // Loaded side by side: one module-loading round instead of one per import.
  const [options, { UsageError }, { givenFlags, opsOptions, printPlan, silentOps }, { loadProject }, { engineOf }, { up }, { runUp }] = await Promise.all([
    import('../up-options.js'),
    import('../../core/errors.js'),
    import('../operation.js'),
    import('../../core/project-loader.js'),
    import('../project-ref.js'),
    import('../../core/ops/up.js'),
    import('../attached.js'),
  ]);
  options.validateUpFlags(flags);
  if (givenFlags(command, ['--build', '--no-build']).length === 2) {
    throw new UsageError('--build and --no-build are incompatible');
  }
  const named = (args[0] as string[] | undefined) ?? [];
  const scale = options.parseScale(flags.scale);
  // --dry-run is the global flag (inherited by every verb): the plan, with reasons, and no change.
  const dryRun = globals.dryRun;

  const loaded = await loadProject({ ...ctx.projectOptions(globals, { services: named }), includeDependencies: flags.deps !== false });
  await ctx.warn(loaded.warnings);
  options.checkScaleServices(loaded.project, scale);
  if (flags.exitCodeFrom !== undefined && loaded.project.services[flags.exitCodeFrom] === undefined) {
    throw new UsageError(`--exit-code-from ${flags.exitCodeFrom}: no such service among those started`, `services: ${Object.keys(loaded.project.services).sort().join(', ')}`);
  }
  const project = options.withPullPolicy(loaded.project, flags.pull);
  const { resolve } = await import('node:path');
  const removeOrphans = flags.removeOrphans === true || isTruthy(ctx.io.env['COMPOSE_REMOVE_ORPHANS']);

  const engine = await engineOf(ctx);
  const upOptions = {
    project,
    ...(named.length > 0 ? { services: named } : {}),
    noDeps: flags.deps === false,
    forceRecreate: flags.forceRecreate === true,
    noRecreate: flags.recreate === false,
    alwaysRecreateDeps: flags.alwaysRecreateDeps === true,
    noStart: flags.start === false,
    removeOrphans,
    ...(scale ? { scale } : {}),
    ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
    wait: flags.wait === true,
    ...(flags.waitTimeout !== undefined ? { waitTimeout: flags.waitTimeout } : {}),
    build: flags.build === true,
    ...(globals.envFiles.length > 0 ? { environmentFiles: globals.envFiles.map((file) => resolve(ctx.io.cwd, file)) } : {}),
  };

  if (dryRun) {
    const { plan, warnings } = await up({ ...upOptions, ...silentOps(ctx, globals, engine), dryRun: true });
    await printPlan(ctx, { nodes: plan.nodes, warnings: [] }, { empty: 'Nothing to do: the project already matches the spec.' });
    await ctx.warn(warnings);
    return 0;
  }

  if (flags.watch) {
    // The dev loop (cli/commands/watch.ts): this up first, then each save applied; attached, the
    // output keeps streaming across reloads and Ctrl-C stops the services as `up` does.
    const { runWatch } = await import('./watch.js');
    const { isAttached } = await import('../up-options.js');
    return runWatch({
      ctx,
      globals,
      engine,
      project,
      loadOptions: { ...ctx.projectOptions(globals, { services: named }), includeDependencies: flags.deps !== false },
      ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
      initialUp: (sink, signal) => up({ ...upOptions, ...opsOptions(ctx, globals, engine, sink, signal) }),
      ...(isAttached(flags) ? { attached: { services: named.length > 0 ? Object.keys(project.services) : [], timestamps: flags.timestamps === true, logPrefix: flags.logPrefix !== false, noColor: flags.color === false } } : {}),
    });
  }

  return runUp({
    ctx,
    globals,
    flags,
    engine,
    project,
    named,
    apply: (sink, signal) => up({ ...upOptions, ...opsOptions(ctx, globals, engine, sink, signal) }),
  });
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
