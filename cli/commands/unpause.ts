// `stack unpause [service...]`: unpause the services' paused containers, by project name and labels (cli/lifecycle.ts).
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';


export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('unpause')
    .description("unpause the services' paused containers")
    .argument('[service...]', 'only these services')
    .action(ctx.action(run));
}

export async function run({ args, globals, ctx }: CommandInput<Record<string, never>>): Promise<RunResult> {
  const { runLifecycle } = await import('../lifecycle.js');
  return runLifecycle({ ctx, globals, verb: 'unpause', services: (args[0] as string[] | undefined) ?? [] });
}
