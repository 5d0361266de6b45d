// `stack logs [service...]`: the containers' output with `web-1  | ` prefixes, interleaved as it
// arrives. `-f` follows the project until Ctrl-C, picking up containers that are recreated,
// restarted or scaled meanwhile. Output is written in batches: 200,000 lines must not mean
// 200,000 writes.
import type { Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { parseIndex } from '../project-ref.js';


interface LogsFlags {
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
  color: boolean;
  logPrefix: boolean;
  index?: number;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('logs')
    .description("show the containers' output")
    .argument('[service...]', 'only these services')
    .option('-f, --follow', 'keep following new output (and new, restarted or recreated containers) until Ctrl-C')
    .option('-n, --tail <lines>', 'number of lines from the end of each container\'s output, or "all"', 'all')
    .option('-t, --timestamps', 'show timestamps')
    .option('--since <time>', 'only output since a time (2026-11-23T10:00:00Z) or a duration ago (10m)')
    .option('--until <time>', 'only output before a time or a duration ago')
    .option('--no-color', 'monochrome output')
    .option('--no-log-prefix', "don't print the container name in front of each line")
    .option('--index <n>', 'only the replica with this number', parseIndex)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<LogsFlags>): Promise<RunResult> {
  const { projectRefOf, engineOf, interruptSignal } = await import('../project-ref.js');
  const { logs, parseLogTime, parseTail } = await import('../../core/ops/logs.js');
  const { LogPrinter, logDisplayName } = await import('../render/log-prefix.js');
  const { BatchWriter } = await import('../render/batch-writer.js');
  const { useColor } = await import('../context.js');
  const now = Date.now();
  const options = {
    services: (args[0] as string[] | undefined) ?? [],
    follow: flags.follow === true,
    tail: parseTail(flags.tail ?? 'all'),
    timestamps: flags.timestamps === true,
    ...(flags.since !== undefined ? { since: parseLogTime(flags.since, now, '--since') } : {}),
    ...(flags.until !== undefined ? { until: parseLogTime(flags.until, now, '--until') } : {}),
    ...(flags.index !== undefined ? { index: flags.index } : {}),
  };
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const out = new BatchWriter(ctx.io.stdout);
  const color = flags.color && useColor(globals.ansi, ctx.io.stdout, ctx.io.env);
  const printer = new LogPrinter({ stream: out, color, prefix: flags.logPrefix, timestamps: options.timestamps });
  const interrupt = options.follow ? interruptSignal() : undefined;
  try {
    await logs(
      engine,
      { projectName: ref.name, ...options, ...(interrupt ? { signal: interrupt.signal } : {}) },
      {
        container: (c) => printer.register(logDisplayName(c)),
        line: (c, line) => printer.line(logDisplayName(c), line),
      },
    );
  } finally {
    interrupt?.dispose();
    out.flush();
  }
  return 0;
}
