// `stack stop [service...]`: stop the running containers (dependents first), keeping them for a
// later `start`. By project name and labels: works with a broken or deleted spec (cli/lifecycle.ts).
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { parseSeconds } from '../operation.js';


interface StopFlags {
  timeout?: number;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('stop')
    .description('stop the running containers without removing them')
    .argument('[service...]', 'only these services')
    .option('-t, --timeout <seconds>', 'seconds to wait for a container to stop before killing it', parseSeconds)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<StopFlags>): Promise<RunResult> {
  const { runLifecycle } = await import('../lifecycle.js');
  const extra = flags.timeout !== undefined ? { timeout: flags.timeout } : {};
  return runLifecycle({ ctx, globals, verb: 'stop', services: (args[0] as string[] | undefined) ?? [], extra });
}
