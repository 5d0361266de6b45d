// `stack config [service...]`: prints the resolved model in canonical form, or names, or only
// validates (-q). Follows the command pattern described at the top of cli/main.ts.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import type { ConfigFormat } from '../render/config.js';

interface ConfigFlags {
  format: ConfigFormat;
  services?: boolean;
  volumes?: boolean;
  networks?: boolean;
  profiles?: boolean;
  images?: boolean;
  quiet?: boolean;
  output?: string;
  interpolate: boolean;
}

const LISTS = ['services', 'volumes', 'networks', 'profiles', 'images'] as const;

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('config')
    .description('parse, resolve and render the spec in canonical form')
    .argument('[service...]', 'only these services (and what they depend on); naming a service enables its profiles')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--networks', 'print the network names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('--images', 'print the image names, one per line')
    .option('-q, --quiet', 'only validate the spec; the exit status tells')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--no-interpolate', "don't interpolate environment variables")
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<ConfigFlags>): Promise<RunResult> {
  const { UsageError } = await import('../../core/errors.js');
  const lists = LISTS.filter((name) => flags[name]);
  if (lists.length > 1) throw new UsageError(`choose one of ${lists.map((name) => `--${name}`).join(', ')}`);
  const services = (args[0] as string[] | undefined) ?? [];

  const { config } = await import('../../core/ops/config.js');
  const result = await config(ctx.projectOptions(globals, { services, interpolate: flags.interpolate }));
  await ctx.warn(result.warnings);
  if (flags.quiet) return 0;

  const { renderModel, renderNames } = await import('../render/config.js');
  const list = lists[0];
  const text = list ? renderNames(result[list]) : renderModel(result.model, flags.format);
  if (flags.output === undefined) {
    ctx.out(text);
    return 0;
  }
  const { writeFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const file = resolve(ctx.io.cwd, flags.output);
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`, 'check that the directory exists and is writable');
  }
  return 0;
}
