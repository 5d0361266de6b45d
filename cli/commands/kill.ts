// `stack kill [service...]`: send a signal (default SIGKILL) to the running containers, all at once.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';


interface KillFlags {
  signal: string;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('kill')
    .description('send a signal to the running containers')
    .argument('[service...]', 'only these services')
    .option('-s, --signal <signal>', 'signal to send: SIGTERM, HUP, 9...', 'SIGKILL')
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<KillFlags>): Promise<RunResult> {
  const { runLifecycle } = await import('../lifecycle.js');
  return runLifecycle({ ctx, globals, verb: 'kill', services: (args[0] as string[] | undefined) ?? [], extra: { killSignal: flags.signal } });
}
