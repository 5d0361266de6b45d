// Pull, push and build answers stream one JSON object per line, and report a failure inside a
// 200 response as an `{"error": ..., "errorDetail": ...}` line. One reader serves all three, for
// the dockerode adapter and for the dockerode-free image client alike.
import type { PullProgress } from './engine.js';

export interface RawProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/**
 * Calls `onMessage` for each JSON line, in order, including a last line without a newline; lines
 * that are not JSON are skipped. An exception from `onMessage` ends the reading and is rethrown.
 */
export async function readJsonLines<T>(stream: AsyncIterable<unknown>, onMessage: (message: T) => void): Promise<void> {
  let pending = '';
  const handle = (line: string): void => {
    if (line.trim() === '') return;
    let message: T;
    try {
      message = JSON.parse(line) as T;
    } catch {
      return;
    }
    onMessage(message);
  };
  for await (const chunk of stream) {
    pending += Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      handle(line);
    }
  }
  handle(pending);
}

/** The engine's words for a failure reported inside the stream, if this line is one. */
export function streamedFailure(message: RawProgressMessage, fallback = 'failed'): string | undefined {
  if (message.error === undefined && message.errorDetail === undefined) return undefined;
  return message.errorDetail?.message ?? message.error ?? fallback;
}

/** A status line as our progress type (layer id, bytes done and total when given). */
export function progressOf(message: RawProgressMessage): PullProgress | undefined {
  if (message.status === undefined) return undefined;
  const progress: PullProgress = { status: message.status };
  if (message.id !== undefined) progress.id = message.id;
  if (message.progressDetail?.current !== undefined) progress.current = message.progressDetail.current;
  if (message.progressDetail?.total !== undefined) progress.total = message.progressDetail.total;
  return progress;
}
