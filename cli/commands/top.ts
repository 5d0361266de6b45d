// `stack top [service...]`: each running container's processes, under its name.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';


export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('top')
    .description('show the processes running in the containers')
    .argument('[service...]', 'only these services')
    .action(ctx.action(run));
}

export async function run({ args, globals, ctx }: CommandInput<Record<string, never>>): Promise<RunResult> {
  const { projectRefOf, engineOf } = await import('../project-ref.js');
  const { top } = await import('../../core/ops/top.js');
  const { renderTable } = await import('../render/table.js');
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const result = await top(engine, { projectName: ref.name, services: (args[0] as string[] | undefined) ?? [] });
  ctx.out(result.map((entry) => `${entry.container.name}\n${renderTable(entry.titles, entry.processes)}`).join('\n'));
  return 0;
}
