// Connects an exec/attach session to the terminal (or pipes): stdin in (raw mode on a TTY),
// output out (raw for TTY sessions, demultiplexed to stdout/stderr otherwise), and the terminal
// size kept in step. Resolves when the container side closes the connection.
import type { StreamSession } from '../core/engine/engine.js';

export interface TerminalStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export function processStreams(): TerminalStreams {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** True when both ends are a terminal: then `exec`/`run` allocate a TTY unless -T. */
export function isInteractiveTerminal(streams: TerminalStreams): boolean {
  return streams.stdin.isTTY === true && streams.stdout.isTTY === true;
}

export async function pipeSession(session: StreamSession, streams: TerminalStreams): Promise<void> {
  const { frameDemuxer } = await import('../core/engine/demux.js');
  const { stdin, stdout, stderr } = streams;
  const cleanups: (() => void)[] = [];

  if (session.input) {
    const input = session.input;
    const raw = session.tty && stdin.isTTY === true;
    if (raw) {
      stdin.setRawMode(true);
      cleanups.push(() => stdin.setRawMode(false));
    }
    const onData = (data: Buffer): void => void input.write(data);
    // Closing the write side tells the engine the process's stdin is at its end.
    const onEnd = (): void => void input.end();
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.resume();
    cleanups.push(() => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
    });
  }

  if (session.tty && stdout.isTTY) {
    const resize = (): void => void session.resize(stdout.rows, stdout.columns);
    resize();
    stdout.on('resize', resize);
    cleanups.push(() => stdout.off('resize', resize));
  }

  const feed = session.tty
    ? (chunk: Buffer) => void stdout.write(chunk)
    : frameDemuxer((stream, data) => void (stream === 'stderr' ? stderr : stdout).write(data));
  try {
    await new Promise<void>((resolve, reject) => {
      session.output.on('data', feed);
      session.output.once('end', resolve);
      session.output.once('close', resolve);
      session.output.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve() : reject(error)));
    });
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
}
