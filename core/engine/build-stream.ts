// The classic builder's answer to `POST /build`: JSON lines, `{"stream": "..."}` for output (one
// message may hold several lines, or half of one), `{"status", "id", "progressDetail"}` while base
// images are pulled, `{"aux": {"ID": "sha256:..."}}` for the result, and `{"error", "errorDetail"}`
// for a failure, which arrives inside a 200 response.
import type { Readable } from 'node:stream';
import { EngineError } from '../errors.js';
import type { PullProgress } from './engine.js';
import { progressOf, readJsonLines, streamedFailure, type RawProgressMessage } from './json-lines.js';

export interface BuildStreamHandlers {
  onOutput?: (line: string) => void;
  onProgress?: (p: PullProgress) => void;
}

interface RawBuildMessage extends RawProgressMessage {
  stream?: string;
  aux?: { ID?: string };
}

/** Follows the stream to its end; resolves with the built image id, rejects with the builder's error. */
export async function followBuildStream(stream: Readable, resource: string, handlers: BuildStreamHandlers = {}): Promise<{ id?: string }> {
  let text = '';
  let id: string | undefined;
  const emitText = (flush: boolean): void => {
    let newline: number;
    while ((newline = text.indexOf('\n')) !== -1) {
      handlers.onOutput?.(text.slice(0, newline).replace(/\r$/, ''));
      text = text.slice(newline + 1);
    }
    if (flush && text !== '') {
      handlers.onOutput?.(text);
      text = '';
    }
  };
  const handle = (message: RawBuildMessage): void => {
    const failure = streamedFailure(message, 'build failed');
    if (failure !== undefined) {
      emitText(true);
      throw new EngineError({ operation: 'build image', resource, message: failure });
    }
    if (typeof message.stream === 'string') {
      text += message.stream;
      emitText(false);
    }
    if (message.aux?.ID !== undefined) id = message.aux.ID;
    const progress = progressOf(message);
    if (progress && handlers.onProgress) handlers.onProgress(progress);
  };
  try {
    await readJsonLines<RawBuildMessage>(stream, handle);
    emitText(true);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return id === undefined ? {} : { id };
}
