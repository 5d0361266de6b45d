// `stack images [service...]`: the images the project's containers use.
import { Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';


interface ImagesFlags {
  quiet?: boolean;
  format: 'table' | 'json';
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('images')
    .description("list the images used by the project's containers")
    .argument('[service...]', 'only these services')
    .option('-q, --quiet', 'print image IDs only')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<ImagesFlags>): Promise<RunResult> {
  const { projectRefOf, engineOf } = await import('../project-ref.js');
  const { images, humanSize } = await import('../../core/ops/images.js');
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const list = await images(engine, { projectName: ref.name, services: (args[0] as string[] | undefined) ?? [] });
  if (flags.quiet) {
    ctx.out([...new Set(list.map((image) => image.id))].map((id) => `${id}\n`).join(''));
  } else if (flags.format === 'json') {
    const json = list.map((i) => ({ ID: i.id, ContainerName: i.container, Repository: i.repository, Tag: i.tag, Size: i.size }));
    ctx.out(`${JSON.stringify(json)}\n`);
  } else {
    const { renderTable } = await import('../render/table.js');
    const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
    ctx.out(renderTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], list.map((i) => [i.container, i.repository, i.tag, shortId(i.id), humanSize(i.size)])));
  }
  return 0;
}
