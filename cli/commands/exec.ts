// `stack exec SERVICE COMMAND...`: runs a command in a running service container. On a terminal
// it is interactive with a TTY (raw mode, resize); otherwise output is piped and the command's
// exit code becomes stack's.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { collect, parseIndex } from '../project-ref.js';

interface ExecFlags {
  detach?: boolean;
  T?: boolean;
  tty: boolean;
  env?: string[];
  user?: string;
  workdir?: string;
  index?: number;
  privileged?: boolean;
  interactive: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('exec')
    .description('run a command in a running service container')
    .argument('<service>', 'the service')
    .argument('<command...>', 'the command and its arguments')
    .passThroughOptions()
    .option('-d, --detach', 'run the command in the background')
    .option('-T, --no-tty', "don't allocate a TTY (the default when stdin is not a terminal)")
    .option('-e, --env <KEY=VAL>', 'set an environment variable (repeatable)', collect)
    .option('-u, --user <user>', 'run as this user')
    .option('-w, --workdir <dir>', 'working directory of the command')
    .option('--index <n>', 'the replica to use (default 1)', parseIndex)
    .option('--privileged', 'give extended privileges to the command')
    .option('-i, --interactive', 'keep stdin open', true)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<ExecFlags>): Promise<RunResult> {
  const { projectRefOf, engineOf } = await import('../project-ref.js');
  const { exec, resolveEnvFlags } = await import('../../core/ops/exec.js');
  const { pipeSession, processStreams, isInteractiveTerminal } = await import('../session-io.js');
  const streams = processStreams();
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const session = await exec(engine, {
    projectName: ref.name,
    service: args[0] as string,
    command: args[1] as string[],
    tty: flags.tty && isInteractiveTerminal(streams),
    interactive: flags.interactive,
    detach: flags.detach === true,
    env: resolveEnvFlags(flags.env ?? [], ctx.io.env),
    ...(flags.user !== undefined ? { user: flags.user } : {}),
    ...(flags.workdir !== undefined ? { workingDir: flags.workdir } : {}),
    ...(flags.index !== undefined ? { index: flags.index } : {}),
    ...(flags.privileged ? { privileged: true } : {}),
  });
  if (flags.detach) return 0;
  await pipeSession(session, streams);
  return session.exitCode();
}
