// `stack restart [service...]`: restart the containers as they are. Like Compose, this does NOT
// apply spec edits (that is `up`'s job): the help says so, since it is a common confusion.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { parseSeconds } from '../operation.js';


interface RestartFlags {
  timeout?: number;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('restart')
    .description('restart the containers (spec changes are not applied: use `up` for that)')
    .argument('[service...]', 'only these services')
    .option('-t, --timeout <seconds>', 'seconds to wait for a container to stop before killing it', parseSeconds)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<RestartFlags>): Promise<RunResult> {
  const { runLifecycle } = await import('../lifecycle.js');
  const extra = flags.timeout !== undefined ? { timeout: flags.timeout } : {};
  return runLifecycle({ ctx, globals, verb: 'restart', services: (args[0] as string[] | undefined) ?? [], extra });
}
