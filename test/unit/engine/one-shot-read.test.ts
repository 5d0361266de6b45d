// The launcher's bare HTTP/1.0 read: what it makes of an answer, and that it rejects (so that the
// command asks again on its real client) whatever it cannot read whole. The server is a raw unix
// socket, so the tests choose every byte of the answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneShotRead, parseHttp10Answer } from '../../../core/engine/one-shot-read.js';
import type { EngineAddress } from '../../../core/engine/address.js';

describe('parseHttp10Answer', () => {
  const answer = (text: string): Buffer => Buffer.from(text.replaceAll('\n', '\r\n'), 'utf8');

  it('takes the status and everything after the headers as the body, decoded as UTF-8', () => {
    const raw = Buffer.concat([answer('HTTP/1.0 200 OK\nContent-Type: application/json\n\n'), Buffer.from('[{"Name":"café"}]')]);
    expect(parseHttp10Answer(raw)).toEqual({ status: 200, text: '[{"Name":"café"}]' });
  });

  it('keeps error statuses for the caller to judge', () => {
    expect(parseHttp10Answer(answer('HTTP/1.1 404 Not Found\nContent-Length: 2\n\n{}'))).toEqual({ status: 404, text: '{}' });
  });

  it('rejects a chunked answer, one cut short of its length or inside its headers, and what is not HTTP', () => {
    expect(() => parseHttp10Answer(answer('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\n[]\n0\n\n'))).toThrow(/transfer-encoded/);
    expect(() => parseHttp10Answer(answer('HTTP/1.0 200 OK\nContent-Length: 10\n\n[]'))).toThrow(/shorter/);
    expect(() => parseHttp10Answer(answer('HTTP/1.0 200 OK\nContent-Type: app'))).toThrow(/inside its headers/);
    expect(() => parseHttp10Answer(answer('SSH-2.0-OpenSSH\n\n'))).toThrow(/not an HTTP answer/);
  });
});

describe('oneShotRead on a socket', () => {
  let dir: string;
  let server: Server;
  let requests: string[];
  let reply: (socket: Socket) => void;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stack-one-shot-'));
    requests = [];
    server = createServer((socket) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
        if (text.endsWith('\r\n\r\n')) {
          requests.push(text);
          reply(socket);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(join(dir, 'engine.sock'), resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const address = (): EngineAddress => ({ url: 'unix://test', protocol: 'unix', socketPath: join(dir, 'engine.sock'), source: 'test' });

  it('asks once in HTTP/1.0 and reads the answer to the end of the connection, in pieces', async () => {
    reply = (socket) => {
      socket.write('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[{"Id"');
      setTimeout(() => socket.end(':"a"}]'), 5);
    };
    expect(await oneShotRead(address(), '/containers/json?all=true')).toEqual({ status: 200, text: '[{"Id":"a"}]' });
    expect(requests).toEqual(['GET /containers/json?all=true HTTP/1.0\r\nHost: docker\r\n\r\n']);
  });

  it('rejects when the engine hangs up mid-answer, or nobody listens', async () => {
    reply = (socket) => socket.end('HTTP/1.0 200 OK\r\nContent-Le');
    await expect(oneShotRead(address(), '/_ping')).rejects.toThrow(/inside its headers/);
    await expect(oneShotRead({ ...address(), socketPath: join(dir, 'absent.sock') }, '/_ping')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
