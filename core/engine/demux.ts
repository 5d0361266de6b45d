// Streaming demultiplexer for exec/attach output: frames of [stream, 0, 0, 0, size (uint32 BE)]
// then `size` bytes (see log-stream.ts). Unlike the log decoder it passes bytes through as they
// come, without waiting for whole lines: an interactive prompt has no newline.
export type DemuxTarget = (stream: 'stdout' | 'stderr', data: Buffer) => void;

const HEADER_SIZE = 8;

/** Returns a function to feed socket chunks to; frames may be cut anywhere, even in a header. */
export function frameDemuxer(target: DemuxTarget): (chunk: Buffer) => void {
  const header = Buffer.alloc(HEADER_SIZE);
  let headerFill = 0;
  let remaining = 0;
  let stream: 'stdout' | 'stderr' = 'stdout';
  return (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - offset);
        target(stream, chunk.subarray(offset, offset + take));
        remaining -= take;
        offset += take;
        continue;
      }
      const take = Math.min(HEADER_SIZE - headerFill, chunk.length - offset);
      chunk.copy(header, headerFill, offset, offset + take);
      headerFill += take;
      offset += take;
      if (headerFill < HEADER_SIZE) return;
      headerFill = 0;
      stream = header[0] === 2 ? 'stderr' : 'stdout';
      remaining = header.readUInt32BE(4);
    }
  };
}
