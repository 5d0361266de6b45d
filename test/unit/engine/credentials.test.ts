// Registry credentials as the docker CLI finds them: host matching, `auths`, `credsStore` and
// `credHelpers` (a real stub helper script on PATH), and secrets kept out of everything printed.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createCredentialLookup,
  DOCKER_HUB_ADDRESS,
  describeAuth,
  explainRegistryError,
  normalizeRegistry,
  registryOf,
} from '../../../core/engine/credentials.js';
import { EngineError, StackError } from '../../../core/errors.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stack-credentials-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function writeConfig(config: unknown): Record<string, string> {
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return { DOCKER_CONFIG: dir, PATH: `${dir}:${process.env['PATH'] ?? ''}` };
}

/** A `docker-credential-stub` that answers from a table and logs the servers it was asked about. */
function writeStubHelper(name: string, table: Record<string, { Username: string; Secret: string }>): string {
  const log = join(dir, `${name}.log`);
  const cases = Object.entries(table)
    .map(([server, answer]) => `  ${JSON.stringify(server)}) echo '${JSON.stringify({ ServerURL: server, ...answer })}' ;;`)
    .join('\n');
  const script = [
    '#!/bin/sh',
    `[ "$1" = get ] || { echo "unexpected $1" >&2; exit 2; }`,
    'read -r server',
    `echo "$server" >> ${log}`,
    'case "$server" in',
    cases,
    '  *) echo "credentials not found in native keychain"; exit 1 ;;',
    'esac',
  ].join('\n');
  const path = join(dir, `docker-credential-${name}`);
  writeFileSync(path, `${script}\n`);
  chmodSync(path, 0o755);
  return log;
}

describe('registryOf: the registry of an image reference, as Docker splits it', () => {
  it.each([
    ['redis', 'docker.io'],
    ['redis:7', 'docker.io'],
    ['bitnami/redis:7', 'docker.io'],
    ['docker.io/library/redis', 'docker.io'],
    ['index.docker.io/library/redis', 'docker.io'],
    ['registry-1.docker.io/library/redis', 'docker.io'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app:1', 'localhost:5000'],
    ['127.0.0.1:5001/team/app@sha256:abc', '127.0.0.1:5001'],
    ['ghcr.io/owner/app', 'ghcr.io'],
  ])('%s -> %s', (reference, registry) => {
    expect(registryOf(reference)).toBe(registry);
  });
});

describe('normalizeRegistry: config keys as hosts', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['http://localhost:5000', 'localhost:5000'],
    ['https://registry.example.com/v2/', 'registry.example.com'],
    ['Registry.Example.com', 'registry.example.com'],
  ])('%s -> %s', (key, host) => {
    expect(normalizeRegistry(key)).toBe(host);
  });
});

describe('createCredentialLookup', () => {
  it('reads base64 `auth` entries, matching the registry with or without scheme', async () => {
    const env = writeConfig({ auths: { 'http://127.0.0.1:5001': { auth: b64('bob:pa:ss') } } });
    const lookup = createCredentialLookup({ env });
    expect(await lookup('127.0.0.1:5001/team/app:1')).toEqual({ serveraddress: '127.0.0.1:5001', username: 'bob', password: 'pa:ss' });
    expect(await lookup('127.0.0.1:5002/team/app:1')).toBeUndefined();
  });

  it('treats every Docker Hub alias as one registry and sends the historical server address', async () => {
    const env = writeConfig({ auths: { 'index.docker.io': { auth: b64('alice:x1') } } });
    const lookup = createCredentialLookup({ env });
    expect(await lookup('redis:7')).toMatchObject({ serveraddress: DOCKER_HUB_ADDRESS, username: 'alice' });
    expect(await lookup('docker.io/library/redis')).toMatchObject({ username: 'alice' });
  });

  it('prefers the exact Hub key over an alias written by another tool', async () => {
    const env = writeConfig({ auths: { 'registry-1.docker.io': { auth: b64('old:1') }, [DOCKER_HUB_ADDRESS]: { auth: b64('new:2') } } });
    expect(await createCredentialLookup({ env })('redis')).toMatchObject({ username: 'new' });
  });

  it('keeps `localhost:5000` apart from `localhost`', async () => {
    const env = writeConfig({ auths: { 'localhost:5000': { auth: b64('five:k') } } });
    const lookup = createCredentialLookup({ env });
    expect(await lookup('localhost:5000/app')).toMatchObject({ username: 'five' });
    expect(await lookup('localhost/app')).toBeUndefined();
  });

  it('passes identity tokens on', async () => {
    const env = writeConfig({ auths: { 'ghcr.io': { identitytoken: 'tok-123' } } });
    expect(await createCredentialLookup({ env })('ghcr.io/o/app')).toEqual({ serveraddress: 'ghcr.io', identitytoken: 'tok-123' });
  });

  it('runs `docker-credential-<credsStore> get` with the server on stdin', async () => {
    const log = writeStubHelper('stub', { '127.0.0.1:5001': { Username: 'bob', Secret: 'from-helper' } });
    const env = writeConfig({ credsStore: 'stub' });
    const auth = await createCredentialLookup({ env })('127.0.0.1:5001/app:1');
    expect(auth).toEqual({ serveraddress: '127.0.0.1:5001', username: 'bob', password: 'from-helper' });
    expect(readFileSync(log, 'utf8')).toBe('127.0.0.1:5001\n');
  });

  it('asks Hub credentials of the helper under https://index.docker.io/v1/, and reads `<token>` as an identity token', async () => {
    writeStubHelper('stub', { [DOCKER_HUB_ADDRESS]: { Username: '<token>', Secret: 'refresh-token' } });
    const env = writeConfig({ credsStore: 'stub' });
    expect(await createCredentialLookup({ env })('library/redis')).toEqual({ serveraddress: DOCKER_HUB_ADDRESS, identitytoken: 'refresh-token' });
  });

  it('lets credHelpers win over credsStore for their registry, and falls back to `auths` when the store knows nothing', async () => {
    writeStubHelper('store', {});
    writeStubHelper('special', { 'registry.example.com': { Username: 'svc', Secret: 's1' } });
    const env = writeConfig({ credsStore: 'store', credHelpers: { 'https://registry.example.com': 'special' }, auths: { 'ghcr.io': { auth: b64('gh:pat') } } });
    const lookup = createCredentialLookup({ env });
    expect(await lookup('registry.example.com/a')).toMatchObject({ username: 'svc', password: 's1' });
    expect(await lookup('ghcr.io/a')).toMatchObject({ username: 'gh', password: 'pat' });
    expect(await lookup('quay.io/a')).toBeUndefined();
  });

  it('runs a helper once per registry however many images ask', async () => {
    const log = writeStubHelper('stub', { 'reg.example': { Username: 'u', Secret: 'p' } });
    const lookup = createCredentialLookup({ env: writeConfig({ credsStore: 'stub' }) });
    await Promise.all([lookup('reg.example/a'), lookup('reg.example/b:1'), lookup('reg.example/c')]);
    expect(readFileSync(log, 'utf8')).toBe('reg.example\n');
  });

  it('names a missing helper and how to fix it', async () => {
    const lookup = createCredentialLookup({ env: writeConfig({ credsStore: 'nothere' }) });
    const error = await lookup('reg.example/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).message).toBe('cannot run the credential helper docker-credential-nothere for registry reg.example: not found on PATH');
  });

  it('reports a failing helper without repeating its output (which may hold a secret)', async () => {
    const path = join(dir, 'docker-credential-leaky');
    writeFileSync(path, '#!/bin/sh\necho "oops hunter2"\nexit 5\n');
    chmodSync(path, 0o755);
    const error = (await createCredentialLookup({ env: writeConfig({ credsStore: 'leaky' }) })('reg.example/a').catch((e: unknown) => e)) as StackError;
    expect(error.message).toContain('docker-credential-leaky failed for registry reg.example (exit 5)');
    expect(`${error.message}\n${error.hint}`).not.toContain('hunter2');
  });

  it('means "no credentials" for a missing config file, and a clear error for a broken one that does not quote it', async () => {
    expect(await createCredentialLookup({ env: { DOCKER_CONFIG: join(dir, 'none') } })('reg.example/a')).toBeUndefined();
    writeFileSync(join(dir, 'config.json'), '{"auths": {"x": {"auth": "c2VjcmV0OnBhc3M="}},,}');
    const error = await createCredentialLookup({ env: { DOCKER_CONFIG: dir } })('reg.example/a').catch((e: unknown) => e);
    expect((error as StackError).message).toBe(`the Docker config file ${join(dir, 'config.json')} is not valid JSON`);
    expect(inspect(error)).not.toContain('c2VjcmV0OnBhc3M=');
  });
});

describe('secrets never show', () => {
  it('util.inspect of a found credential hides the secret but keeps the user', async () => {
    const env = writeConfig({ auths: { 'reg.example': { auth: b64('bob:hunter2') } } });
    const auth = await createCredentialLookup({ env })('reg.example/a');
    expect(inspect(auth)).toContain('bob');
    expect(inspect(auth)).not.toContain('hunter2');
    // JSON is how the X-Registry-Auth header is made: it must stay whole.
    expect(JSON.parse(JSON.stringify(auth))).toMatchObject({ password: 'hunter2' });
  });

  it('describeAuth names the user, never the secret', () => {
    expect(describeAuth({ serveraddress: 'r', username: 'bob', password: 'hunter2' })).toBe('user bob');
    expect(describeAuth({ serveraddress: 'r', identitytoken: 'tok' })).toBe('an identity token');
  });
});

describe('explainRegistryError: engine answers a person can act on', () => {
  const engineError = (message: string, statusCode?: number): EngineError =>
    new EngineError({ operation: 'pull image', resource: 'x', message, ...(statusCode !== undefined ? { statusCode } : {}) });
  const bob = { serveraddress: '127.0.0.1:5001', username: 'bob', password: 'hunter2' };

  it('unknown image or tag', () => {
    const error = explainRegistryError(engineError('manifest for localhost:5000/nope:1 not found: manifest unknown: manifest unknown', 404), { image: 'localhost:5000/nope:1', action: 'pull' });
    expect(error.message).toBe('pull access denied or image not found: localhost:5000/nope:1');
    expect((error as StackError).code).toBe('NOT_FOUND');
    expect((error as StackError).hint).toContain('docker login localhost:5000');
  });

  it('rejected credentials name the registry and the user', () => {
    const error = explainRegistryError(engineError('unauthorized: authentication required'), { image: '127.0.0.1:5001/a:1', action: 'pull', auth: bob });
    expect(error.message).toBe('registry 127.0.0.1:5001 rejected the credentials for user bob');
    expect(`${error.message} ${(error as StackError).hint}`).not.toContain('hunter2');
  });

  it('missing credentials say to log in', () => {
    const error = explainRegistryError(engineError('Head "http://127.0.0.1:5001/v2/a/manifests/1": no basic auth credentials'), { image: '127.0.0.1:5001/a:1', action: 'pull' });
    expect(error.message).toBe('registry 127.0.0.1:5001 needs credentials to pull 127.0.0.1:5001/a:1');
  });

  it('an unreachable registry', () => {
    const error = explainRegistryError(engineError('Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused'), { image: '127.0.0.1:1/a', action: 'pull' });
    expect(error.message).toBe('cannot reach registry 127.0.0.1:1 to pull 127.0.0.1:1/a: connection refused');
  });

  it('a full disk', () => {
    const error = explainRegistryError(engineError('write /var/lib/docker/tmp/x: no space left on device'), { image: 'redis', action: 'pull' });
    expect(error.message).toBe('no space left on the Docker host while pulling redis');
  });

  it('scrubs a secret an engine message would quote', () => {
    const error = explainRegistryError(engineError('weird failure mentioning hunter2'), { image: 'r/a', action: 'push', auth: bob });
    expect(error.message).not.toContain('hunter2');
  });
});
