import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LogDecoder, decodeLogBuffer, decodeLogStream, demuxToText, encodeFrame } from '../../../core/engine/log-stream.js';
import type { LogLine } from '../../../core/engine/engine.js';

const plain = { tty: false, timestamps: false };

/** Feeds `data` to a decoder in the given chunk sizes (cycled). */
function decodeInChunks(data: Buffer, sizes: number[], options = plain): LogLine[] {
  const decoder = new LogDecoder(options);
  const out: LogLine[] = [];
  let offset = 0;
  let i = 0;
  while (offset < data.length) {
    const size = Math.max(1, sizes[i++ % sizes.length]!);
    out.push(...decoder.push(data.subarray(offset, offset + size)));
    offset += size;
  }
  out.push(...decoder.end());
  return out;
}

describe('LogDecoder (multiplexed)', () => {
  it('splits one frame holding several lines and keeps the streams apart', () => {
    const data = Buffer.concat([encodeFrame('stdout', 'one\ntwo\n'), encodeFrame('stderr', 'bad\n')]);
    expect(decodeLogBuffer(data, plain)).toEqual([
      { stream: 'stdout', text: 'one' },
      { stream: 'stdout', text: 'two' },
      { stream: 'stderr', text: 'bad' },
    ]);
  });

  it('joins a line that spans frames, even with the other stream in between', () => {
    const data = Buffer.concat([encodeFrame('stdout', 'hel'), encodeFrame('stderr', 'warn'), encodeFrame('stdout', 'lo\n'), encodeFrame('stderr', 'ing\n')]);
    expect(decodeLogBuffer(data, plain)).toEqual([
      { stream: 'stdout', text: 'hello' },
      { stream: 'stderr', text: 'warning' },
    ]);
  });

  it('survives headers and payloads cut at every byte boundary', () => {
    const data = Buffer.concat([encodeFrame('stdout', 'alpha\nbe'), encodeFrame('stderr', 'err line\n'), encodeFrame('stdout', 'ta\ngamma\n')]);
    const expected = decodeLogBuffer(data, plain);
    expect(expected.map((l) => l.text)).toEqual(['alpha', 'err line', 'beta', 'gamma']);
    for (let size = 1; size <= data.length; size++) {
      expect(decodeInChunks(data, [size])).toEqual(expected);
    }
  });

  it('decodes the same lines for any chunking (property)', () => {
    const frame = fc.record({ stream: fc.constantFrom('stdout' as const, 'stderr' as const), text: fc.string({ maxLength: 30 }) });
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 8 }), (frames, sizes) => {
        const data = Buffer.concat(frames.map((f) => encodeFrame(f.stream, f.text)));
        expect(decodeInChunks(data, sizes)).toEqual(decodeLogBuffer(data, plain));
      }),
    );
  });

  it('keeps a multi-byte character split across frames intact', () => {
    const bytes = Buffer.from('héllo ✓\n', 'utf8');
    const data = Buffer.concat([encodeFrame('stdout', bytes.subarray(0, 2)), encodeFrame('stdout', bytes.subarray(2, 9)), encodeFrame('stdout', bytes.subarray(9))]);
    expect(decodeLogBuffer(data, plain)).toEqual([{ stream: 'stdout', text: 'héllo ✓' }]);
  });

  it('emits a last line without newline at the end, and nothing for empty frames', () => {
    const data = Buffer.concat([encodeFrame('stdout', ''), encodeFrame('stdout', 'done\nno newline'), encodeFrame('stderr', 'tail')]);
    expect(decodeLogBuffer(data, plain)).toEqual([
      { stream: 'stdout', text: 'done' },
      { stream: 'stdout', text: 'no newline' },
      { stream: 'stderr', text: 'tail' },
    ]);
  });

  it('keeps empty lines', () => {
    expect(decodeLogBuffer(encodeFrame('stdout', 'a\n\nb\n'), plain).map((l) => l.text)).toEqual(['a', '', 'b']);
  });

  it('reports the stdin stream as stdout', () => {
    expect(decodeLogBuffer(encodeFrame('stdin', 'echoed\n'), plain)).toEqual([{ stream: 'stdout', text: 'echoed' }]);
  });

  it('parses a leading RFC 3339 timestamp when asked', () => {
    const data = Buffer.concat([
      encodeFrame('stdout', '2026-11-23T11:57:10.123456789Z first line\n'),
      encodeFrame('stderr', '2026-11-23T11:57:11Z second\n'),
      encodeFrame('stdout', 'no stamp here\n'),
    ]);
    expect(decodeLogBuffer(data, { tty: false, timestamps: true })).toEqual([
      { stream: 'stdout', text: 'first line', timestamp: '2026-11-23T11:57:10.123456789Z' },
      { stream: 'stderr', text: 'second', timestamp: '2026-11-23T11:57:11Z' },
      { stream: 'stdout', text: 'no stamp here' },
    ]);
    // Without the option a timestamp-looking prefix is just text.
    expect(decodeLogBuffer(encodeFrame('stdout', '2026-11-23T11:57:11Z x\n'), plain)).toEqual([{ stream: 'stdout', text: '2026-11-23T11:57:11Z x' }]);
  });

  it('falls back to raw text when the stream does not start with a frame header', () => {
    expect(decodeInChunks(Buffer.from('plain output\nmore\n'), [3])).toEqual([
      { stream: 'stdout', text: 'plain output' },
      { stream: 'stdout', text: 'more' },
    ]);
    expect(decodeLogBuffer(Buffer.from('hi'), plain)).toEqual([{ stream: 'stdout', text: 'hi' }]);
  });

  it('decodes 200k lines quickly', () => {
    const frames: Buffer[] = [];
    for (let i = 0; i < 2_000; i++) {
      let text = '';
      for (let j = 0; j < 100; j++) text += `line ${i * 100 + j} of the log with some padding text\n`;
      frames.push(encodeFrame(i % 2 === 0 ? 'stdout' : 'stderr', text));
    }
    const data = Buffer.concat(frames);
    const started = performance.now();
    const lines = decodeInChunks(data, [65_536, 4_093, 16_384]);
    const elapsed = performance.now() - started;
    expect(lines).toHaveLength(200_000);
    expect(lines[199_999]).toEqual({ stream: 'stderr', text: 'line 199999 of the log with some padding text' });
    expect(elapsed).toBeLessThan(1_500);
  });
});

describe('LogDecoder (TTY, raw)', () => {
  it('splits raw text into stdout lines, strips CR of CRLF and keeps partial lines across chunks', () => {
    expect(decodeInChunks(Buffer.from('first\r\nsec'), [4], { tty: true, timestamps: false })).toEqual([
      { stream: 'stdout', text: 'first' },
      { stream: 'stdout', text: 'sec' },
    ]);
  });

  it('does not take raw bytes that look like a header for one', () => {
    const data = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('abc\n')]);
    expect(decodeLogBuffer(data, { tty: true, timestamps: false })).toHaveLength(1);
  });

  it('parses timestamps in raw mode too', () => {
    expect(decodeLogBuffer(Buffer.from('2026-01-02T03:04:05.5+01:00 hi\r\n'), { tty: true, timestamps: true })).toEqual([
      { stream: 'stdout', text: 'hi', timestamp: '2026-01-02T03:04:05.5+01:00' },
    ]);
  });
});

describe('decodeLogStream', () => {
  it('decodes an async stream of chunks', async () => {
    const data = Buffer.concat([encodeFrame('stdout', 'a\nb'), encodeFrame('stdout', 'c\n')]);
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < data.length; i += 5) yield data.subarray(i, i + 5);
    }
    const lines: LogLine[] = [];
    for await (const line of decodeLogStream(chunks(), plain)) lines.push(line);
    expect(lines).toEqual([
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'bc' },
    ]);
  });
});

describe('demuxToText', () => {
  it('concatenates payloads in arrival order and keeps bytes exactly', () => {
    const data = Buffer.concat([encodeFrame('stdout', 'out\r\n'), encodeFrame('stderr', 'err\n'), encodeFrame('stdout', 'end')]);
    expect(demuxToText(data, { tty: false })).toBe('out\r\nerr\nend');
  });

  it('returns raw text for TTY output and for unframed bytes', () => {
    expect(demuxToText(Buffer.from('tty\r\n'), { tty: true })).toBe('tty\r\n');
    expect(demuxToText(Buffer.from('not framed at all'), { tty: false })).toBe('not framed at all');
    expect(demuxToText(Buffer.alloc(0), { tty: false })).toBe('');
  });
});
