// `stack port SERVICE PRIVATE_PORT`: prints the published address, `127.0.0.1:8080`.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliContext, CommandInput, RunResult } from '../context.js';
import { parseIndex } from '../project-ref.js';

interface PortFlags {
  protocol: string;
  index?: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number (1-65535).');
  return n;
}

export function register(program: Command, ctx: CliContext): Command {
  return program
    .command('port')
    .description('print the host address a container port is published on')
    .argument('<service>', 'the service')
    .argument('<private_port>', 'the container port', parsePort)
    .addOption(new Option('--protocol <protocol>', 'the port protocol').choices(['tcp', 'udp', 'sctp']).default('tcp'))
    .option('--index <n>', 'the replica (default 1)', parseIndex)
    .action(ctx.action(run));
}

export async function run({ args, flags, globals, ctx }: CommandInput<PortFlags>): Promise<RunResult> {
  const { projectRefOf, engineOf } = await import('../project-ref.js');
  const { port, formatAddress } = await import('../../core/ops/port.js');
  const [ref, engine] = await Promise.all([projectRefOf(ctx, globals), engineOf(ctx)]);
  const address = await port(engine, {
    projectName: ref.name,
    service: args[0] as string,
    privatePort: args[1] as number,
    protocol: flags.protocol,
    ...(flags.index !== undefined ? { index: flags.index } : {}),
  });
  ctx.out(`${formatAddress(address)}\n`);
  return 0;
}
