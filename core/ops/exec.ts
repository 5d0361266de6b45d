// `exec`: runs a command in a service's running container. The session carries the streams; the
// caller connects them (cli/session-io.ts) and reads the exit code when the output ends.
import type { Engine, ExecSession } from '../engine/engine.js';
import { serviceContainer } from './ps.js';

export interface ExecOptions {
  projectName: string;
  service: string;
  /** Replica number (`--index`); default 1. */
  index?: number;
  command: string[];
  /** Allocate a TTY (default when stdin and stdout are terminals and no -T). */
  tty: boolean;
  /** Attach stdin. */
  interactive: boolean;
  /** `-d`: start and return. */
  detach?: boolean;
  /** `KEY=VAL` (or `KEY` to pass the caller's value, already resolved by the caller). */
  env?: string[];
  user?: string;
  workingDir?: string;
  privileged?: boolean;
}

export async function exec(engine: Pick<Engine, 'listContainers' | 'execStream'>, options: ExecOptions): Promise<ExecSession> {
  const container = await serviceContainer(engine, { projectName: options.projectName, service: options.service, running: true, ...(options.index !== undefined ? { index: options.index } : {}) });
  return engine.execStream(container.id, {
    command: options.command,
    tty: options.tty,
    interactive: options.interactive && options.detach !== true,
    detach: options.detach === true,
    ...(options.env && options.env.length > 0 ? { env: options.env } : {}),
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.workingDir !== undefined ? { workingDir: options.workingDir } : {}),
    ...(options.privileged ? { privileged: true } : {}),
  });
}

/** `-e KEY` takes KEY's value from the caller's environment, as docker does; unset KEYs are dropped. */
export function resolveEnvFlags(flags: readonly string[], environment: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const flag of flags) {
    if (flag.includes('=')) out.push(flag);
    else if (environment[flag] !== undefined) out.push(`${flag}=${environment[flag]}`);
  }
  return out;
}
