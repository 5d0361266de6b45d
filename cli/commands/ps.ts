// `stack ps [service...]`: the project's containers, from the engine labels alone (no spec load),
// as `docker compose ps` prints them. Imports stay minimal: ps must start about as fast as node.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { collect } from '../project-ref.js';


interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status?: string[];
  filter?: string;
  format: 'table' | 'json';
  trunc: boolean;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('ps')
    .description("list the project's containers")
    .argument('[service...]', 'only these services')
    .option('-a, --all', 'show stopped containers too')
    .option('-q, --quiet', 'print container IDs only')
    .option('--services', 'print service names only')
    .option('--status <state>', 'only containers in this state: paused, restarting, removing, running, dead, created, exited (repeatable)', collect)
    .option('--filter <filter>', 'filter by a property (status=<state>)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-trunc', "don't truncate the command")
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<PsFlags>): Promise<RunResult> {
  // Loaded side by side: one module-loading round instead of three in a row.
  const [{ projectRefOf, engineOf }, { ps, parsePsFilter, serviceNamesOf }, { psJsonLine, psTable }] = await Promise.all([
    import('../project-ref.js'),
    import('../../core/ops/ps.js'),
    import('../render/table.js'),
  ]);
  const status = [...(flags.status ?? [])];
  if (flags.filter !== undefined) status.push(parsePsFilter(flags.filter).status);
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const containers = await ps(engine, { projectName: ref.name, services: (args[0] as string[] | undefined) ?? [], all: flags.all, status });

  if (flags.quiet) {
    ctx.out(containers.map((c) => `${c.id}\n`).join(''));
  } else if (flags.services) {
    ctx.out(serviceNamesOf(containers).map((name) => `${name}\n`).join(''));
  } else if (flags.format === 'json') {
    const now = Date.now();
    ctx.out(containers.map((c) => `${psJsonLine(c, { now })}\n`).join(''));
  } else {
    ctx.out(psTable(containers, { truncate: flags.trunc }));
  }
  return 0;
}
