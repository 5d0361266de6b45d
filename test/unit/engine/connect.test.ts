import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectEngine, resolveEngineAddress } from '../../../core/engine/connect.js';
import { DockerEngine } from '../../../core/engine/docker.js';
import { listContainersRequest, readKey } from '../../../core/engine/requests.js';
import { EngineError } from '../../../core/errors.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stack-connect-'));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** Writes a context the way `docker context create` does. */
function writeContext(configDir: string, name: string, host: string, options: { skipTlsVerify?: boolean; tlsFiles?: string[] } = {}): void {
  const digest = createHash('sha256').update(name).digest('hex');
  const metaDir = join(configDir, 'contexts', 'meta', digest);
  mkdirSync(metaDir, { recursive: true });
  writeFileSync(
    join(metaDir, 'meta.json'),
    JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: options.skipTlsVerify ?? false } } }),
  );
  if (options.tlsFiles) {
    const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const file of options.tlsFiles) writeFileSync(join(tlsDir, file), 'pem');
  }
}

function writeConfig(configDir: string, config: unknown): void {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
}

describe('resolveEngineAddress', () => {
  it('defaults to the system socket', () => {
    expect(resolveEngineAddress({}, home)).toEqual({ url: 'unix:///var/run/docker.sock', protocol: 'unix', socketPath: '/var/run/docker.sock', source: 'default' });
  });

  it('takes a unix DOCKER_HOST', () => {
    expect(resolveEngineAddress({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, home)).toMatchObject({
      url: 'unix:///run/user/1000/docker.sock',
      protocol: 'unix',
      socketPath: '/run/user/1000/docker.sock',
      source: 'DOCKER_HOST',
    });
  });

  it('takes a tcp DOCKER_HOST, with or without scheme, without TLS unless asked', () => {
    const address = resolveEngineAddress({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }, home);
    expect(address).toEqual({ url: 'tcp://10.0.0.5:2375', protocol: 'tcp', host: '10.0.0.5', port: 2375, source: 'DOCKER_HOST' });
    expect(resolveEngineAddress({ DOCKER_HOST: 'dockerhost:1234' }, home)).toMatchObject({ protocol: 'tcp', host: 'dockerhost', port: 1234 });
    expect(resolveEngineAddress({ DOCKER_HOST: 'tcp://dockerhost' }, home)).toMatchObject({ url: 'tcp://dockerhost:2375', port: 2375 });
  });

  it('uses the certificates of DOCKER_CERT_PATH with DOCKER_TLS_VERIFY', () => {
    const address = resolveEngineAddress({ DOCKER_HOST: 'tcp://remote:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, home);
    expect(address.tls).toEqual({ verify: true, caFile: '/certs/ca.pem', certFile: '/certs/cert.pem', keyFile: '/certs/key.pem' });
    // Without DOCKER_CERT_PATH the CLI looks in the config folder.
    expect(resolveEngineAddress({ DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '1' }, home)).toMatchObject({
      port: 2376,
      tls: { caFile: join(home, '.docker', 'ca.pem') },
    });
    expect(resolveEngineAddress({ DOCKER_HOST: 'tcp://remote:2376', DOCKER_TLS_VERIFY: '0' }, home).tls).toBeUndefined();
  });

  it('takes ssh hosts with a user', () => {
    expect(resolveEngineAddress({ DOCKER_HOST: 'ssh://deploy@build-box' }, home)).toMatchObject({ protocol: 'ssh', host: 'build-box', port: 22, username: 'deploy' });
  });

  it('rejects addresses it cannot use, naming where they came from', () => {
    expect(() => resolveEngineAddress({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, home)).toThrow(/Windows/);
    const error = (() => {
      try {
        resolveEngineAddress({ DOCKER_HOST: 'fd://3' }, home);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: 'connect fd://3: unsupported engine address (from DOCKER_HOST)' });
  });

  it('follows currentContext of ~/.docker/config.json', () => {
    const configDir = join(home, '.docker');
    writeConfig(configDir, { auths: {}, currentContext: 'remote' });
    writeContext(configDir, 'remote', 'tcp://remote.example:2375');
    expect(resolveEngineAddress({}, home)).toEqual({ url: 'tcp://remote.example:2375', protocol: 'tcp', host: 'remote.example', port: 2375, source: 'context "remote"' });
  });

  it('lets DOCKER_CONTEXT override currentContext, and DOCKER_HOST override both', () => {
    const configDir = join(home, '.docker');
    writeConfig(configDir, { currentContext: 'remote' });
    writeContext(configDir, 'remote', 'tcp://remote.example:2375');
    writeContext(configDir, 'rootless', 'unix:///run/user/1000/docker.sock');
    expect(resolveEngineAddress({ DOCKER_CONTEXT: 'rootless' }, home)).toMatchObject({ socketPath: '/run/user/1000/docker.sock', source: 'context "rootless"' });
    expect(resolveEngineAddress({ DOCKER_CONTEXT: 'default' }, home)).toMatchObject({ socketPath: '/var/run/docker.sock', source: 'default' });
    expect(resolveEngineAddress({ DOCKER_CONTEXT: 'rootless', DOCKER_HOST: 'unix:///other.sock' }, home)).toMatchObject({ socketPath: '/other.sock', source: 'DOCKER_HOST' });
  });

  it('reads the config folder from DOCKER_CONFIG', () => {
    const configDir = join(home, 'elsewhere');
    writeConfig(configDir, { currentContext: 'remote' });
    writeContext(configDir, 'remote', 'tcp://elsewhere:2375');
    expect(resolveEngineAddress({ DOCKER_CONFIG: configDir }, home)).toMatchObject({ host: 'elsewhere' });
    // The same home without DOCKER_CONFIG has no config: the default socket.
    expect(resolveEngineAddress({}, home).source).toBe('default');
  });

  it('uses the TLS material stored with a context', () => {
    const configDir = join(home, '.docker');
    writeContext(configDir, 'secure', 'tcp://secure:2376', { tlsFiles: ['ca.pem', 'cert.pem', 'key.pem'] });
    const digest = createHash('sha256').update('secure').digest('hex');
    const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
    expect(resolveEngineAddress({ DOCKER_CONTEXT: 'secure' }, home).tls).toEqual({
      verify: true,
      caFile: join(tlsDir, 'ca.pem'),
      certFile: join(tlsDir, 'cert.pem'),
      keyFile: join(tlsDir, 'key.pem'),
    });
    writeContext(configDir, 'insecure', 'tcp://insecure:2376', { skipTlsVerify: true });
    expect(resolveEngineAddress({ DOCKER_CONTEXT: 'insecure' }, home).tls).toEqual({ verify: false });
  });

  it('explains a missing context and a broken config file', () => {
    expect(() => resolveEngineAddress({ DOCKER_CONTEXT: 'ghost' }, home)).toThrow(/resolve Docker context ghost: context not found/);
    writeConfig(join(home, '.docker'), '{ not json');
    expect(() => resolveEngineAddress({}, home)).toThrow(EngineError);
  });
});

describe('connectEngine', () => {
  it('builds a DockerEngine for the resolved address without contacting it', () => {
    const engine = connectEngine({ env: { DOCKER_HOST: 'unix:///nonexistent.sock' }, homeDir: home });
    expect(engine).toBeInstanceOf(DockerEngine);
    expect((engine as DockerEngine).address.url).toBe('unix:///nonexistent.sock');
  });

  it('fails clearly when TLS certificates are missing', () => {
    expect(() => connectEngine({ env: { DOCKER_HOST: 'tcp://remote:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(home, 'none') }, homeDir: home })).toThrow(
      /read TLS certificate .*ca\.pem/,
    );
  });
});

describe('connectEngine with reads the launcher sent ahead (cli/early-requests.ts)', () => {
  const answers = (): Map<string, Promise<{ status: number; text: string }>> =>
    new Map([[readKey(listContainersRequest({ labels: [], all: true }))!, Promise.resolve({ status: 200, text: '[]' })]]);

  it('takes their answers when it connects to the same address', async () => {
    const env = { DOCKER_HOST: 'unix:///run/nothing-listens-here.sock' };
    const engine = connectEngine({ env, homeDir: home, early: { address: resolveEngineAddress(env, home), answers: answers() } });
    expect(await engine.listContainers({ labels: [], all: true })).toEqual([]);
  });

  it('ignores them for another address: they would come from another engine', async () => {
    const env = { DOCKER_HOST: 'unix:///run/nothing-listens-here.sock' };
    const other = resolveEngineAddress({ DOCKER_HOST: 'unix:///run/other.sock' }, home);
    const engine = connectEngine({ env, homeDir: home, early: { address: other, answers: answers() } });
    await expect(engine.listContainers({ labels: [], all: true })).rejects.toThrow();
  });
});
