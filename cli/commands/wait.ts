// `stack wait SERVICE...`: blocks until the services' containers stop; stack exits with the first
// exit code. `--down-project` then takes the project down.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';

interface WaitFlags {
  downProject?: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('wait')
    .description("block until the services' containers stop; exit with the first one's exit code")
    .argument('<service...>', 'the services')
    .option('--down-project', 'take the project down when the first container stops')
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<WaitFlags>): Promise<RunResult> {
  const { projectRefOf, engineOf, interruptSignal } = await import('../project-ref.js');
  const { wait } = await import('../../core/ops/wait.js');
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const interrupt = interruptSignal();
  try {
    const result = await wait(engine, { projectName: ref.name, services: args[0] as string[], signal: interrupt.signal });
    if (flags.downProject) {
      const { down } = await import('../../core/ops/down.js');
      await down({ engine, projectName: ref.name });
    }
    return result.exitCode;
  } finally {
    interrupt.dispose();
  }
}
