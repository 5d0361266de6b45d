// Finding the Docker engine the way the docker CLI does: DOCKER_HOST first, then the current
// Docker context (DOCKER_CONTEXT, else `currentContext` in config.json), then the default socket.
// Users switch engines with `docker context use`; honouring it means `stack` talks to the same
// engine as `docker ps` without extra flags.
// Pure (no connection is made here): connect.ts builds the client for the address found.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../errors.js';

export const DEFAULT_ENGINE_URL = 'unix:///var/run/docker.sock';

export interface EngineTls {
  /** Verify the server certificate against `caFile` (DOCKER_TLS_VERIFY / context SkipTLSVerify=false). */
  verify: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface EngineAddress {
  /** The address as users write it; used in every message about the engine. */
  url: string;
  protocol: 'unix' | 'tcp' | 'ssh';
  /** For unix sockets. */
  socketPath?: string;
  host?: string;
  port?: number;
  /** For ssh://user@host. */
  username?: string;
  tls?: EngineTls;
  /** Where the address came from, for error messages: `DOCKER_HOST`, `context "remote"`, `default`. */
  source: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH; reads files but writes nothing. */
export function resolveEngineAddress(env: Env, homeDir: string): EngineAddress {
  const configDir = nonEmpty(env['DOCKER_CONFIG']) ?? join(homeDir, '.docker');
  const dockerHost = nonEmpty(env['DOCKER_HOST']);
  if (dockerHost !== undefined) {
    const tlsVerify = isTruthy(env['DOCKER_TLS_VERIFY']);
    const certPath = nonEmpty(env['DOCKER_CERT_PATH']) ?? configDir;
    const tls: EngineTls | undefined = tlsVerify
      ? { verify: true, caFile: join(certPath, 'ca.pem'), certFile: join(certPath, 'cert.pem'), keyFile: join(certPath, 'key.pem') }
      : undefined;
    return parseHost(dockerHost, 'DOCKER_HOST', tls);
  }

  const contextName = nonEmpty(env['DOCKER_CONTEXT']) ?? readCurrentContext(configDir);
  if (contextName !== undefined && contextName !== 'default') return resolveContext(contextName, configDir);
  return parseHost(DEFAULT_ENGINE_URL, 'default', undefined);
}

function parseHost(raw: string, source: string, tls: EngineTls | undefined): EngineAddress {
  // `host:port` without a scheme is tcp, as for the docker CLI.
  const withScheme = raw.includes('://') ? raw : `tcp://${raw}`;
  const scheme = withScheme.slice(0, withScheme.indexOf('://'));
  if (scheme === 'unix') {
    const socketPath = withScheme.slice('unix://'.length) || '/var/run/docker.sock';
    return { url: `unix://${socketPath}`, protocol: 'unix', socketPath, source };
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https' || scheme === 'ssh') {
    let parsed: URL;
    try {
      parsed = new URL(withScheme);
    } catch {
      throw badHost(raw, source);
    }
    if (parsed.hostname === '') throw badHost(raw, source);
    const protocol = scheme === 'ssh' ? 'ssh' : 'tcp';
    const defaultPort = scheme === 'ssh' ? 22 : tls || scheme === 'https' ? 2376 : 2375;
    const port = parsed.port === '' ? defaultPort : Number(parsed.port);
    const effectiveTls = tls ?? (scheme === 'https' ? { verify: true } : undefined);
    const address: EngineAddress = { url: `${scheme}://${parsed.host}${parsed.port === '' ? `:${port}` : ''}`, protocol, host: parsed.hostname.replace(/^\[|\]$/g, ''), port, source };
    if (scheme === 'ssh' && parsed.username !== '') address.username = decodeURIComponent(parsed.username);
    if (effectiveTls && protocol === 'tcp') address.tls = effectiveTls;
    return address;
  }
  if (scheme === 'npipe') {
    throw new EngineError({
      code: 'ENGINE_UNREACHABLE',
      operation: 'connect',
      resource: raw,
      message: `named pipes are only available on Windows (from ${source})`,
      hint: 'set DOCKER_HOST to unix:///path/to/docker.sock or tcp://host:port',
    });
  }
  throw badHost(raw, source);
}

function badHost(raw: string, source: string): EngineError {
  return new EngineError({
    code: 'ENGINE_UNREACHABLE',
    operation: 'connect',
    resource: raw,
    message: `unsupported engine address (from ${source})`,
    hint: 'use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host',
  });
}

function readCurrentContext(configDir: string): string | undefined {
  const file = join(configDir, 'config.json');
  if (!existsSync(file)) return undefined;
  const config = readJson(file, 'read Docker config');
  const current = isRecord(config) ? config['currentContext'] : undefined;
  return typeof current === 'string' && current !== '' ? current : undefined;
}

/** Contexts live in `contexts/meta/<sha256(name)>/meta.json`, TLS material in `contexts/tls/<sha256(name)>/docker/`. */
function resolveContext(name: string, configDir: string): EngineAddress {
  const digest = sha256(name);
  const metaFile = join(configDir, 'contexts', 'meta', digest, 'meta.json');
  if (!existsSync(metaFile)) {
    throw new EngineError({
      code: 'ENGINE_UNREACHABLE',
      operation: 'resolve Docker context',
      resource: name,
      message: `context not found (no ${metaFile})`,
      hint: 'list contexts with `docker context ls`, or unset DOCKER_CONTEXT / run `docker context use default`',
    });
  }
  const meta = readJson(metaFile, 'read Docker context');
  const endpoints = isRecord(meta) && isRecord(meta['Endpoints']) ? meta['Endpoints'] : undefined;
  const endpoint = endpoints && isRecord(endpoints['docker']) ? endpoints['docker'] : undefined;
  const host = endpoint && typeof endpoint['Host'] === 'string' ? endpoint['Host'] : undefined;
  if (host === undefined || host === '') {
    throw new EngineError({
      code: 'ENGINE_UNREACHABLE',
      operation: 'resolve Docker context',
      resource: name,
      message: `the context has no Docker endpoint host (${metaFile})`,
      hint: 'inspect it with `docker context inspect`',
    });
  }
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  const skipVerify = endpoint?.['SkipTLSVerify'] === true;
  let tls: EngineTls | undefined;
  if (existsSync(tlsDir)) {
    tls = { verify: !skipVerify };
    for (const [key, file] of [['caFile', 'ca.pem'], ['certFile', 'cert.pem'], ['keyFile', 'key.pem']] as const) {
      const path = join(tlsDir, file);
      if (existsSync(path)) tls[key] = path;
    }
  } else if (skipVerify) {
    tls = { verify: false };
  }
  return parseHost(host, `context "${name}"`, tls);
}

function readJson(file: string, operation: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new EngineError({
      code: 'ENGINE_UNREACHABLE',
      operation,
      resource: file,
      message: error instanceof Error ? error.message : String(error),
      hint: 'fix or remove the file, or set DOCKER_HOST',
      cause: error,
    });
  }
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function isTruthy(value: string | undefined): boolean {
  // The docker CLI treats any non-empty value as true; "0" and "false" meaning "on" would surprise.
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** node:crypto is loaded here, when a context is in use, rather than by every command. */
function sha256(text: string): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}
