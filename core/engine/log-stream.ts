// The Engine sends container output (logs, attach, exec) either raw, for TTY containers, or
// multiplexed: frames of an 8-byte header [stream, 0, 0, 0, size (uint32 BE)] and `size` bytes.
// Frames do not follow lines: one frame may hold many lines, a line may span frames, and a
// chunk from the socket may cut anywhere, even inside a header. The decoder keeps a partial
// line per stream and cuts lines only where a newline is, decoding UTF-8 per whole line so a
// multi-byte character split across frames stays intact.
import type { LogLine } from './engine.js';

export interface LogDecoderOptions {
  /** The stream is raw (TTY): everything is stdout, no frame headers. */
  tty: boolean;
  /** Lines start with the engine's RFC 3339 timestamp and a space (the `timestamps` log option). */
  timestamps: boolean;
}

const HEADER_SIZE = 8;
const NEWLINE = 0x0a;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;

type StreamName = LogLine['stream'];

/** Cuts one byte stream into lines, keeping the unfinished tail between pushes. */
class LineSplitter {
  private pending: Buffer[] = [];

  constructor(
    private readonly stream: StreamName,
    private readonly timestamps: boolean,
  ) {}

  push(data: Buffer, out: LogLine[]): void {
    let start = 0;
    for (;;) {
      const newline = data.indexOf(NEWLINE, start);
      if (newline === -1) break;
      let line = data.subarray(start, newline);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = Buffer.concat(this.pending);
        this.pending = [];
      }
      out.push(this.toLine(line));
      start = newline + 1;
    }
    // Copy the tail: the caller's chunk buffer may be reused by the socket.
    if (start < data.length) this.pending.push(Buffer.from(data.subarray(start)));
  }

  flush(out: LogLine[]): void {
    if (this.pending.length === 0) return;
    const line = Buffer.concat(this.pending);
    this.pending = [];
    out.push(this.toLine(line));
  }

  private toLine(bytes: Buffer): LogLine {
    // TTY output ends lines with CRLF; a trailing CR would make terminals overwrite our prefix.
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    let text = bytes.toString('utf8', 0, end);
    if (this.timestamps) {
      const match = TIMESTAMP.exec(text);
      if (match) {
        text = text.slice(match[0].length);
        return { stream: this.stream, text, timestamp: match[1]! };
      }
    }
    return { stream: this.stream, text };
  }
}

/**
 * Incremental decoder: push socket chunks, get the lines they complete; `end()` returns the
 * unfinished last lines. If the first bytes are not a valid frame header the stream is taken as
 * raw: callers cannot always know whether a container has a TTY, and raw text is never lost.
 */
export class LogDecoder {
  private readonly stdout: LineSplitter;
  private readonly stderr: LineSplitter;
  private raw: boolean;
  private sawHeader = false;
  private header = Buffer.alloc(HEADER_SIZE);
  private headerFill = 0;
  private frameRemaining = 0;
  private frameStream: LineSplitter;

  constructor(options: LogDecoderOptions) {
    this.stdout = new LineSplitter('stdout', options.timestamps);
    this.stderr = new LineSplitter('stderr', options.timestamps);
    this.raw = options.tty;
    this.frameStream = this.stdout;
  }

  push(chunk: Buffer | Uint8Array | string): LogLine[] {
    const out: LogLine[] = [];
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.raw) {
      this.stdout.push(data, out);
      return out;
    }
    let offset = 0;
    while (offset < data.length) {
      if (this.frameRemaining > 0) {
        const take = Math.min(this.frameRemaining, data.length - offset);
        this.frameStream.push(data.subarray(offset, offset + take), out);
        this.frameRemaining -= take;
        offset += take;
        continue;
      }
      const take = Math.min(HEADER_SIZE - this.headerFill, data.length - offset);
      data.copy(this.header, this.headerFill, offset, offset + take);
      this.headerFill += take;
      offset += take;
      if (this.headerFill < HEADER_SIZE) break;
      this.headerFill = 0;
      const kind = this.header[0]!;
      if (!this.sawHeader && (kind > 2 || this.header[1] !== 0 || this.header[2] !== 0 || this.header[3] !== 0)) {
        this.raw = true;
        this.stdout.push(Buffer.from(this.header), out);
        this.stdout.push(data.subarray(offset), out);
        return out;
      }
      this.sawHeader = true;
      // Stream 0 (stdin) only appears when stdin is echoed; show it as stdout.
      this.frameStream = kind === 2 ? this.stderr : this.stdout;
      this.frameRemaining = this.header.readUInt32BE(4);
    }
    return out;
  }

  end(): LogLine[] {
    const out: LogLine[] = [];
    // Fewer than 8 bytes and nothing else: not a frame, so it was raw output.
    if (!this.raw && !this.sawHeader && this.headerFill > 0) {
      this.stdout.push(this.header.subarray(0, this.headerFill), out);
      this.headerFill = 0;
    }
    this.stdout.flush(out);
    this.stderr.flush(out);
    return out;
  }
}

/** Decodes a whole byte stream (a socket, a Readable, an array of chunks) into log lines. */
export async function* decodeLogStream(source: AsyncIterable<Buffer | Uint8Array | string>, options: LogDecoderOptions): AsyncGenerator<LogLine> {
  const decoder = new LogDecoder(options);
  for await (const chunk of source) {
    yield* decoder.push(chunk);
  }
  yield* decoder.end();
}

/** Decodes a complete buffer: for non-follow logs and exec output. */
export function decodeLogBuffer(data: Buffer, options: LogDecoderOptions): LogLine[] {
  const decoder = new LogDecoder(options);
  return [...decoder.push(data), ...decoder.end()];
}

/**
 * The bytes of a multiplexed stream, concatenated per arrival order, as text: what `docker exec`
 * prints. Unlike the line decoder this keeps the exact bytes (no CR stripping, final newline kept).
 */
export function demuxToText(data: Buffer, options: { tty: boolean }): string {
  if (options.tty) return data.toString('utf8');
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + HEADER_SIZE <= data.length) {
    const kind = data[offset]!;
    if (kind > 2 || data[offset + 1] !== 0 || data[offset + 2] !== 0 || data[offset + 3] !== 0) {
      // Not multiplexed after all (raw exec of a TTY-less command on an old engine): keep it all.
      if (offset === 0) return data.toString('utf8');
      break;
    }
    const size = data.readUInt32BE(offset + 4);
    parts.push(data.subarray(offset + HEADER_SIZE, offset + HEADER_SIZE + size));
    offset += HEADER_SIZE + size;
  }
  if (offset === 0 && data.length > 0) return data.toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}

/** Builds one frame: for tests and fakes that need to speak the multiplexed format. */
export function encodeFrame(stream: 'stdin' | 'stdout' | 'stderr', payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = stream === 'stdin' ? 0 : stream === 'stdout' ? 1 : 2;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
