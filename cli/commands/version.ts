// `stack version [--short] [--format json]`: as `docker compose version`.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { VERSION } from '../version.js';

interface VersionFlags {
  short?: boolean;
  format: 'pretty' | 'json';
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('version')
    .description('show the stack version')
    .option('--short', 'print the version number only')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .action(ctx.action(run));
}

async function run({ flags, ctx }: CommandInput<VersionFlags>): Promise<RunResult> {
  if (flags.short) ctx.out(`${VERSION}\n`);
  else if (flags.format === 'json') ctx.out(`${JSON.stringify({ version: VERSION })}\n`);
  else ctx.out(`stack version ${VERSION}\n`);
}
