// `stack run SERVICE [COMMAND...]`: a one-off container of a service. Dependencies come up first
// (unless --no-deps); the container's output is attached and its exit code becomes stack's.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { collect } from '../project-ref.js';

interface RunFlags {
  rm?: boolean;
  env?: string[];
  entrypoint?: string;
  deps: boolean;
  tty: boolean;
  servicePorts?: boolean;
  volume?: string[];
  workdir?: string;
  user?: string;
  detach?: boolean;
  name?: string;
  interactive: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('run')
    .description('run a one-off command in a new container of a service')
    .argument('<service>', 'the service')
    .argument('[command...]', 'command and arguments (default: the service command)')
    .passThroughOptions()
    .option('--rm', 'remove the container when it exits')
    .option('-e, --env <KEY=VAL>', 'set an environment variable (repeatable)', collect)
    .option('--entrypoint <command>', "override the image's entrypoint")
    .option('--no-deps', "don't start the services it depends on")
    .option('-T, --no-tty', "don't allocate a TTY (the default when stdin is not a terminal)")
    .option('-P, --service-ports', "publish the service's ports (none by default)")
    .option('-v, --volume <src:dst[:ro]>', 'bind-mount a path or mount a project volume (repeatable)', collect)
    .option('-w, --workdir <dir>', 'working directory in the container')
    .option('-u, --user <user>', 'run as this user')
    .option('-d, --detach', 'run in the background and print the container name')
    .option('--name <name>', 'container name')
    .option('-i, --interactive', 'keep stdin open', true)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<RunFlags>): Promise<RunResult> {
  const service = args[0] as string;
  const { loadProject } = await import('../../core/project-loader.js');
  const { engineOf, interruptSignal } = await import('../project-ref.js');
  const { run: runOneOff, splitWords } = await import('../../core/ops/run.js');
  const { resolveEnvFlags } = await import('../../core/ops/exec.js');
  const { pipeSession, processStreams, isInteractiveTerminal } = await import('../session-io.js');
  const loaded = await loadProject(ctx.projectOptions(globals, { services: [service] }));
  await ctx.warn(loaded.warnings);
  const streams = processStreams();
  const engine = await engineOf(ctx);
  const interrupt = interruptSignal();
  // Dependencies starting are shown on stderr, as `up` shows them; the display ends before output is attached.
  const { openProgress } = await import('../operation.js');
  const progress = await openProgress(ctx, globals);
  try {
    const result = await runOneOff(
      {
        engine,
        project: loaded.project,
        service,
        command: (args[1] as string[] | undefined) ?? [],
        ...(flags.entrypoint !== undefined ? { entrypoint: splitWords(flags.entrypoint) } : {}),
        setEnv: resolveEnvFlags(flags.env ?? [], ctx.io.env),
        volumes: flags.volume ?? [],
        ...(flags.workdir !== undefined ? { workingDir: flags.workdir } : {}),
        ...(flags.user !== undefined ? { user: flags.user } : {}),
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        servicePorts: flags.servicePorts === true,
        tty: flags.tty && !flags.detach && isInteractiveTerminal(streams),
        interactive: flags.interactive && !flags.detach,
        detach: flags.detach === true,
        rm: flags.rm === true,
        noDeps: !flags.deps,
        cwd: ctx.io.cwd,
        signal: interrupt.signal,
        sink: progress.sink,
        onPrepared: () => progress.close(),
        ...(globals.parallel !== undefined ? { parallel: globals.parallel } : {}),
        env: ctx.io.env,
      },
      (session) => pipeSession(session, streams),
    );
    if (flags.detach) {
      ctx.out(`${result.name}\n`);
      return 0;
    }
    return result.exitCode ?? 0;
  } finally {
    await progress.close();
    interrupt.dispose();
  }
}
