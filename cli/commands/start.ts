// `stack start [service...]`: start the existing, stopped containers (dependencies first). Creates
// nothing: a service without containers needs `up`.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { parseSeconds } from '../operation.js';


interface StartFlags {
  wait?: boolean;
  waitTimeout?: number;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('start')
    .description('start the existing containers')
    .argument('[service...]', 'only these services')
    .option('--wait', 'wait until the services are running (and healthy when they have a healthcheck)')
    .option('--wait-timeout <seconds>', 'maximum time to wait with --wait', parseSeconds)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<StartFlags>): Promise<RunResult> {
  if (flags.waitTimeout !== undefined && !flags.wait) {
    const { UsageError } = await import('../../core/errors.js');
    throw new UsageError('--wait-timeout needs --wait');
  }
  const { runLifecycle } = await import('../lifecycle.js');
  const extra = { wait: flags.wait === true, ...(flags.waitTimeout !== undefined ? { waitTimeout: flags.waitTimeout } : {}) };
  return runLifecycle({ ctx, globals, verb: 'start', services: (args[0] as string[] | undefined) ?? [], extra });
}
