// A TLS engine, as `DOCKER_HOST=tcp://...` with `DOCKER_TLS_VERIFY=1` and `DOCKER_CERT_PATH`
// reach one: a mutual-TLS proxy on 127.0.0.1 in front of the real engine's socket, with a CA,
// server and client certificates made by openssl for this test. It checks the transport's TLS
// path end to end (plain requests, a followed stream, the CLI) and the error a wrong CA gives.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../core/engine/connect.js';
import { EngineError } from '../../core/errors.js';
import { runStack } from './support/cli.js';

const SOCKET = '/var/run/docker.sock';

interface Certificates {
  dir: string;
  /** A second CA that signed nothing here: a client trusting it must refuse the proxy. */
  otherCaDir: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** ca.pem, cert.pem, key.pem (client, as DOCKER_CERT_PATH wants them) and server-cert.pem/server-key.pem. */
function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'stack-tls-'));
  const days = ['-days', '2'];
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-subj', '/CN=stack-test-ca', ...days], dir);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, ext, subject] of [
    ['server', 'server.ext', '/CN=127.0.0.1'],
    ['client', 'client.ext', '/CN=stack-test-client'],
  ] as const) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}-cert.pem`, '-extfile', ext, ...days], dir);
  }
  execFileSync('cp', [join(dir, 'client-cert.pem'), join(dir, 'cert.pem')]);
  execFileSync('cp', [join(dir, 'client-key.pem'), join(dir, 'key.pem')]);
  const otherCaDir = join(dir, 'other');
  execFileSync('mkdir', [otherCaDir]);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-subj', '/CN=stack-other-ca', ...days], otherCaDir);
  execFileSync('cp', [join(dir, 'cert.pem'), join(dir, 'key.pem'), otherCaDir]);
  return { dir, otherCaDir };
}

/** Mutual TLS on 127.0.0.1, every connection piped to the engine's unix socket. */
async function startProxy(certs: Certificates): Promise<{ server: Server; port: number }> {
  const read = (name: string): Buffer => readFileSync(join(certs.dir, name));
  const server = createServer({ key: read('server-key.pem'), cert: read('server-cert.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true }, (tls) => {
    const engine = connectSocket(SOCKET);
    tls.pipe(engine).pipe(tls);
    const close = (): void => {
      tls.destroy();
      engine.destroy();
    };
    tls.on('error', close);
    engine.on('error', close);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('a TLS engine (DOCKER_HOST=tcp://, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)', () => {
  let certs: Certificates;
  let proxy: { server: Server; port: number };
  let env: Record<string, string>;

  beforeAll(async () => {
    certs = makeCertificates();
    proxy = await startProxy(certs);
    env = { DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.dir };
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (proxy ? proxy.server.close(() => resolve()) : resolve()));
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('answers plain requests and a followed stream through the client certificate', async () => {
    const engine = connectEngine({ env });
    await engine.ping();
    expect((await engine.version()).apiVersion).toMatch(/^1\.\d+$/);
    expect(Array.isArray(await engine.listContainers({ labels: ['com.docker.compose.project=stack-tls-nothing'], all: true }))).toBe(true);
    // A followed stream over TLS: the events subscription answers, then ends on abort.
    const abort = new AbortController();
    const events = engine.events({ labels: ['com.docker.compose.project=stack-tls-nothing'] }, abort.signal);
    setTimeout(() => abort.abort(), 300);
    const seen: unknown[] = [];
    for await (const event of events) seen.push(event);
    expect(seen).toEqual([]);
  });

  it('serves the CLI: ps through the TLS address, with the engine call shown by --debug', async () => {
    const result = await runStack(['--debug', '-p', 'stack-tls-nothing', 'ps'], { cwd: certs.dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^NAME\s+IMAGE/);
    expect(result.stderr).toMatch(/debug: engine +\d+\.\d ms {2}list containers/);
  });

  it('a certificate signed by another CA is refused with an error that says so, not as a missing engine', async () => {
    const engine = connectEngine({ env: { ...env, DOCKER_CERT_PATH: certs.otherCaDir } });
    const error = await engine.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    const message = (error as EngineError).message;
    expect(message).toMatch(/certificate/i);
    expect(message).not.toContain('is dockerd running');
    expect((error as EngineError).hint ?? '').toContain('DOCKER_CERT_PATH');
  });
});
