// One GET to the engine on a bare socket, for the launcher's early reads (cli/early-requests.ts).
// node:http costs a short command ~8 ms before its first request leaves (the module, its parser,
// the agent); node:net is loaded by Node's start-up anyway. The request says HTTP/1.0, so the
// engine answers without chunked encoding and closes the connection at the end: the answer is
// the status line, the headers, and everything after them. Anything else (a chunked or
// malformed answer, a reset) rejects, and the command sends the read again on its own client.
import type { EngineAddress } from './address.js';
import type { RawAnswer } from './early-transport.js';

/** Sends `GET target` (path and query) to a plain-HTTP engine address and collects the answer. */
export function oneShotRead(address: EngineAddress, target: string): Promise<RawAnswer> {
  const net = process.getBuiltinModule('node:net');
  return new Promise<RawAnswer>((resolve, reject) => {
    const socket =
      address.protocol === 'unix' ? net.connect(address.socketPath ?? '/var/run/docker.sock') : net.connect(Number(address.port), address.host ?? 'localhost');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      socket.destroy();
      try {
        resolve(parseHttp10Answer(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    // Not end(): a server may take a half-closed connection for a client gone away (Go's does).
    socket.write(`GET ${target} HTTP/1.0\r\nHost: ${hostHeader(address)}\r\n\r\n`);
  });
}

function hostHeader(address: EngineAddress): string {
  return address.protocol === 'unix' ? 'docker' : `${address.host ?? 'localhost'}:${address.port}`;
}

/** Status and body of a complete HTTP/1.x answer read to the end of the connection. */
export function parseHttp10Answer(raw: Buffer): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('early read: the answer ended inside its headers');
  const head = raw.toString('latin1', 0, end);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (status === null) throw new Error(`early read: not an HTTP answer (${JSON.stringify(head.slice(0, 40))})`);
  // An engine (or a proxy before it) that chunks anyway: leave the read to the real client.
  if (/\r\ntransfer-encoding:/i.test(head)) throw new Error('early read: a transfer-encoded answer');
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const body = raw.subarray(end + 4);
  if (length !== null && Number(length[1]) !== body.length) throw new Error('early read: the answer is shorter than its length');
  return { status: Number(status[1]), text: body.toString('utf8') };
}
