// `stack ls`: the projects on the engine, from container labels (no spec involved).
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';

interface LsFlags {
  all?: boolean;
  quiet?: boolean;
  format: 'table' | 'json';
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('ls')
    .description('list projects')
    .option('-a, --all', 'include projects whose containers are all stopped')
    .option('-q, --quiet', 'print project names only')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(ctx.action(run));
}

export async function run({ flags, ctx }: CommandInput<LsFlags>): Promise<RunResult> {
  const [{ ls }, { engineOf }] = await Promise.all([import('../../core/ops/ls.js'), import('../project-ref.js')]);
  const projects = await ls(await engineOf(ctx), { all: flags.all === true });
  if (flags.quiet) {
    ctx.out(projects.map((p) => `${p.name}\n`).join(''));
  } else if (flags.format === 'json') {
    ctx.out(`${JSON.stringify(projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles })))}\n`);
  } else {
    const { renderTable } = await import('../render/table.js');
    ctx.out(renderTable(['NAME', 'STATUS', 'CONFIG FILES'], projects.map((p) => [p.name, p.status, p.configFiles])));
  }
  return 0;
}
