// The pure parts of the HTTP transport: query and header encoding, error bodies, answers.
// The transport against a real engine is in test/integration/engine-transport.test.ts.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EngineAddress } from '../../../core/engine/address.js';
import { toEngineError } from '../../../core/engine/docker.js';
import { EngineHttpError, HttpTransport, encodeQuery, goBase64Url, parseBody, requestHeaders, statusError } from '../../../core/engine/http-transport.js';
import { EngineError, isConflict, isNotFound } from '../../../core/errors.js';

const socket: EngineAddress = { url: 'unix:///nope.sock', protocol: 'unix', socketPath: '/nope.sock', source: 'DOCKER_HOST' };

describe('encodeQuery', () => {
  it('is empty without values and leaves undefined out', () => {
    expect(encodeQuery(undefined)).toBe('');
    expect(encodeQuery({})).toBe('');
    expect(encodeQuery({ t: undefined })).toBe('');
  });

  it('writes booleans and numbers as text and repeats the key of an array', () => {
    expect(encodeQuery({ all: true, force: false, t: 10, tag: ['a:1', 'b:2'] })).toBe('?all=true&force=false&t=10&tag=a%3A1&tag=b%3A2');
  });

  it('percent-encodes JSON filters and reserved characters', () => {
    const filters = JSON.stringify({ label: ['com.docker.compose.project=web app'] });
    const encoded = encodeQuery({ filters, name: 'a&b=c' });
    expect(encoded).toBe(`?filters=${encodeURIComponent(filters)}&name=a%26b%3Dc`);
    expect(new URLSearchParams(encoded).get('filters')).toBe(filters);
  });
});

describe('goBase64Url', () => {
  it('uses the url-safe alphabet and keeps the padding, as Go\'s URLEncoding decodes', () => {
    // Chosen so that standard base64 would hold both `+` and `/`, and padding.
    const value = { password: '>>>???' };
    const standard = Buffer.from(JSON.stringify(value)).toString('base64');
    expect(standard).toMatch(/[+/]/);
    const encoded = goBase64Url(value);
    expect(encoded).not.toMatch(/[+/]/);
    expect(encoded.length % 4).toBe(0);
    expect(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))).toEqual(value);
  });
});

describe('requestHeaders', () => {
  it('sends a POST without body with a zero length, never chunked (start rejects unknown-length bodies)', () => {
    expect(requestHeaders({ method: 'POST', path: '/containers/x/start' })).toEqual({ headers: { 'Content-Length': 0 }, body: undefined });
  });

  it('sends nothing extra on GET and DELETE', () => {
    expect(requestHeaders({ method: 'GET', path: '/_ping' })).toEqual({ headers: {}, body: undefined });
    expect(requestHeaders({ method: 'DELETE', path: '/volumes/v' })).toEqual({ headers: {}, body: undefined });
  });

  it('sends a JSON body with its type and byte length', () => {
    const { headers, body } = requestHeaders({ method: 'POST', path: '/volumes/create', body: { Name: 'é' } });
    expect(body).toBe('{"Name":"é"}');
    expect(headers).toEqual({ 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength('{"Name":"é"}') });
  });

  it('asks for an upgrade and sends `{}` when hijacking without body', () => {
    const { headers, body } = requestHeaders({ method: 'POST', path: '/containers/x/attach', hijack: true });
    expect(body).toBe('{}');
    expect(headers).toMatchObject({ Connection: 'Upgrade', Upgrade: 'tcp', 'Content-Type': 'application/json', 'Content-Length': 2 });
  });

  it('streams a file as a tar archive, with no length of its own', () => {
    const { headers, body } = requestHeaders({ method: 'POST', path: '/build', file: Readable.from([]) });
    expect(body).toBeUndefined();
    expect(headers).toEqual({ 'Content-Type': 'application/x-tar' });
  });

  it('sends registry auth, even an empty one (push needs the header), and the build registry config', () => {
    expect(requestHeaders({ method: 'POST', path: '/images/x/push', auth: {} }).headers['X-Registry-Auth']).toBe(goBase64Url({}));
    const auth = { username: 'u', password: 'p', serveraddress: 'r.example' };
    const { headers } = requestHeaders({ method: 'POST', path: '/images/create', auth, registryConfig: { 'r.example': auth } });
    expect(JSON.parse(Buffer.from(String(headers['X-Registry-Auth']), 'base64url').toString())).toEqual(auth);
    expect(JSON.parse(Buffer.from(String(headers['X-Registry-Config']), 'base64url').toString())).toEqual({ 'r.example': auth });
    expect(requestHeaders({ method: 'POST', path: '/images/create' }).headers['X-Registry-Auth']).toBeUndefined();
  });
});

describe('statusError and parseBody', () => {
  it('keeps the engine\'s message from a JSON body', () => {
    const error = statusError(409, '{"message":"Conflict. The container name \\"/web\\" is already in use\\n"}');
    expect(error).toBeInstanceOf(EngineHttpError);
    expect(error).toMatchObject({ statusCode: 409, message: 'Conflict. The container name "/web" is already in use', json: { message: expect.any(String) } });
  });

  it('reads `error` bodies, plain text bodies, and says the status when the body is empty', () => {
    expect(statusError(500, '{"error":"boom"}').message).toBe('boom');
    expect(statusError(502, 'Bad Gateway\n')).toMatchObject({ message: 'Bad Gateway', json: undefined });
    expect(statusError(404, '').message).toBe('not found (HTTP 404)');
    expect(statusError(418, '').message).toBe('unexpected status (HTTP 418)');
  });

  it('answers JSON when it parses, else the text, else undefined', () => {
    expect(parseBody('[{"Id":"a"}]')).toEqual([{ Id: 'a' }]);
    expect(parseBody('null')).toBeNull();
    expect(parseBody('OK')).toBe('OK');
    expect(parseBody('')).toBeUndefined();
  });
});

describe('toEngineError on transport failures', () => {
  it('turns error statuses into NOT_FOUND / CONFLICT / ENGINE errors with the engine\'s words', () => {
    const missing = toEngineError(statusError(404, '{"message":"No such container: ghost"}'), 'inspect container', 'ghost', socket) as EngineError;
    expect(isNotFound(missing)).toBe(true);
    expect(missing.message).toBe('inspect container ghost: No such container: ghost');
    expect(isConflict(toEngineError(statusError(409, '{"message":"in use"}'), 'remove volume', 'v', socket))).toBe(true);
    const allocated = toEngineError(statusError(500, '{"message":"Bind for 0.0.0.0:80 failed: port is already allocated"}'), 'start container', 'web', socket) as EngineError;
    expect(allocated).toMatchObject({ code: 'ENGINE', statusCode: 500, hint: expect.stringMatching(/host port/) });
  });

  it('names the address when the socket is missing or refused', () => {
    for (const code of ['ENOENT', 'ECONNREFUSED']) {
      const error = toEngineError(Object.assign(new Error(`connect ${code} /nope.sock`), { code }), 'ping', undefined, socket) as EngineError;
      expect(error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: 'cannot reach the Docker engine at unix:///nope.sock: is dockerd running?' });
      expect(error.hint).toMatch(/from DOCKER_HOST/);
    }
  });
});

describe('HttpTransport', () => {
  it('fails at construction, clearly, when a TLS file is unreadable', () => {
    const address: EngineAddress = { url: 'tcp://remote:2376', protocol: 'tcp', host: 'remote', port: 2376, tls: { verify: true, caFile: '/nonexistent/ca.pem' }, source: 'DOCKER_HOST' };
    expect(() => new HttpTransport(address)).toThrow(/read TLS certificate \/nonexistent\/ca\.pem/);
  });

  it('refuses ssh addresses, which go through the modem', () => {
    expect(() => new HttpTransport({ url: 'ssh://me@host:22', protocol: 'ssh', host: 'host', port: 22, source: 'DOCKER_HOST' })).toThrow(/ssh/);
  });
});
