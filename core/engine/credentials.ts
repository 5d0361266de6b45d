// Registry credentials, found the way the docker CLI finds them after `docker login`:
// DOCKER_CONFIG/config.json (default ~/.docker/config.json) with `credHelpers` (per registry),
// then `credsStore` (for every registry), then plain `auths` entries. Helpers are programs named
// `docker-credential-<name>`, run as `docker-credential-<name> get` with the server address on
// stdin, answering `{"Username","Secret"}` (Username `<token>` means Secret is an identity token).
//
// Credentials go to the engine in the X-Registry-Auth header and nowhere else: they never reach an
// event, an error message or a log line. Errors name the registry and the helper, never a secret,
// and never a helper's output (which may echo one).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { StackError } from '../errors.js';
import type { RegistryAuth } from './engine.js';

/** The key Docker Hub credentials are stored under (and the server address sent for them). */
export const DOCKER_HUB_ADDRESS = 'https://index.docker.io/v1/';
/** Names that all mean Docker Hub, in config keys and in image references. */
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/**
 * The registry of an image reference, as Docker splits it: the first path component is a
 * registry when it holds a `.` or a `:` or is `localhost`; otherwise the image is on Docker Hub.
 * Hub names come back as `docker.io`.
 */
export function registryOf(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash === -1) return 'docker.io';
  const first = reference.slice(0, slash);
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return 'docker.io';
  return DOCKER_HUB_ALIASES.has(first.toLowerCase()) ? 'docker.io' : first;
}

/**
 * A config key as a registry host, as Docker's `ConvertToHostname` does: scheme and path dropped
 * (`https://registry.example.com/v2/` -> `registry.example.com`); Hub aliases -> `docker.io`.
 * The port stays: `localhost:5000` and `localhost` are different registries.
 */
export function normalizeRegistry(key: string): string {
  const host = (key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '').toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? 'docker.io' : host;
}

/** The server address a helper is asked about and the engine is told: Hub keeps its historical URL. */
export function serverAddressOf(registry: string): string {
  return registry === 'docker.io' ? DOCKER_HUB_ADDRESS : registry;
}

export interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** Runs `docker-credential-<helper> get` with `server` on stdin; resolves with its stdout. */
export type HelperRunner = (helper: string, server: string) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface CredentialSource {
  env?: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
  /** Reads a file; undefined when it does not exist. Injected by tests. */
  readFile?: (path: string) => string | undefined;
  /** Default: spawns the helper found on PATH (`env.PATH`). */
  runHelper?: HelperRunner;
}

/** Credentials for an image reference; undefined = go anonymously. Lookups of one registry run once. */
export type CredentialLookup = (image: string) => Promise<RegistryAuth | undefined>;

/** Where the Docker config file lives: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigPath(source: Pick<CredentialSource, 'env' | 'homeDir'> = {}): string {
  const env = source.env ?? process.env;
  const home = source.homeDir ?? env['HOME'] ?? '';
  return join(env['DOCKER_CONFIG'] || join(home, '.docker'), 'config.json');
}

/** Reads and parses the config file; a missing file is an empty config, a broken one is a clear error. */
export function readDockerConfig(source: CredentialSource = {}): DockerConfigFile {
  const path = dockerConfigPath(source);
  const text = (source.readFile ?? readIfExists)(path);
  if (text === undefined || text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as DockerConfigFile) : {};
  } catch (error) {
    // The parser's message quotes the text around the error, which may be a secret: not shown.
    throw new StackError('USAGE', `the Docker config file ${path} is not valid JSON`, {
      hint: 'fix or remove it (`docker login` rewrites it)',
      cause: error instanceof Error ? new Error(error.name) : undefined,
    });
  }
}

/** Which store answers for `registry`: a per-registry helper, the default store, else the file's `auths`. */
export function credentialHelperFor(config: DockerConfigFile, registry: string): string | undefined {
  for (const [key, helper] of Object.entries(config.credHelpers ?? {})) {
    if (typeof helper === 'string' && helper !== '' && normalizeRegistry(key) === registry) return helper;
  }
  return typeof config.credsStore === 'string' && config.credsStore !== '' ? config.credsStore : undefined;
}

/** The `auths` entry for `registry`: the exact Hub key wins over an alias another tool wrote. */
export function authEntryFor(config: DockerConfigFile, registry: string): AuthEntry | undefined {
  let found: AuthEntry | undefined;
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (entry === null || typeof entry !== 'object' || normalizeRegistry(key) !== registry) continue;
    if (found === undefined || key === DOCKER_HUB_ADDRESS) found = entry;
  }
  return found;
}

/** Builds the lookup once per command: the config file is read now, helpers run on first use per registry. */
export function createCredentialLookup(source: CredentialSource = {}): CredentialLookup {
  let config: DockerConfigFile | undefined;
  const cache = new Map<string, Promise<RegistryAuth | undefined>>();
  const runHelper = source.runHelper ?? spawnHelper(source.env ?? process.env);
  return async (image) => {
    config ??= readDockerConfig(source);
    const registry = registryOf(image);
    let found = cache.get(registry);
    if (!found) {
      found = lookup(config, registry, runHelper);
      cache.set(registry, found);
    }
    return found;
  };
}

async function lookup(config: DockerConfigFile, registry: string, runHelper: HelperRunner): Promise<RegistryAuth | undefined> {
  const serveraddress = serverAddressOf(registry);
  const helper = credentialHelperFor(config, registry);
  if (helper !== undefined) {
    const fromHelper = await askHelper(helper, registry, serveraddress, runHelper);
    // A store that knows nothing of this registry: Docker then falls back to the file's entry.
    if (fromHelper !== undefined) return fromHelper;
  }
  const entry = authEntryFor(config, registry);
  return entry ? fromAuthEntry(entry, serveraddress) : undefined;
}

async function askHelper(helper: string, registry: string, serveraddress: string, runHelper: HelperRunner): Promise<RegistryAuth | undefined> {
  const program = `docker-credential-${helper}`;
  let answer: { code: number; stdout: string; stderr: string };
  try {
    answer = await runHelper(helper, serveraddress);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StackError('USAGE', `cannot run the credential helper ${program} for registry ${registry}${missing ? ': not found on PATH' : ''}`, {
      hint: missing ? `install ${program}, or remove "${helper}" from credsStore/credHelpers in ${dockerConfigPath()}` : 'check the helper works: `docker login` uses it too',
    });
  }
  if (answer.code !== 0) {
    // Helpers say "credentials not found in native keychain" when they hold nothing for a server.
    if (/credentials not found/i.test(answer.stdout + answer.stderr)) return undefined;
    throw new StackError('USAGE', `the credential helper ${program} failed for registry ${registry} (exit ${answer.code})`, {
      hint: `run \`echo ${serveraddress} | ${program} get\` to see why, or log in again with \`docker login${registry === 'docker.io' ? '' : ` ${registry}`}\``,
    });
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(answer.stdout) as { Username?: unknown; Secret?: unknown };
  } catch {
    throw new StackError('USAGE', `the credential helper ${program} gave an answer that is not JSON for registry ${registry}`, {
      hint: 'it should print {"ServerURL", "Username", "Secret"}',
    });
  }
  const username = typeof parsed.Username === 'string' ? parsed.Username : '';
  const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
  if (secret === '') return undefined;
  // `<token>` is how helpers store an identity token (OAuth refresh token) rather than a password.
  if (username === '<token>') return sealed({ serveraddress, identitytoken: secret });
  return sealed({ serveraddress, username, password: secret });
}

/** An `auths` entry: `auth` is base64 `user:password`; tokens stand on their own. */
export function fromAuthEntry(entry: AuthEntry, serveraddress: string): RegistryAuth | undefined {
  const auth: RegistryAuth = { serveraddress };
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      auth.username = decoded.slice(0, colon);
      auth.password = decoded.slice(colon + 1);
    }
  } else {
    if (typeof entry.username === 'string') auth.username = entry.username;
    if (typeof entry.password === 'string') auth.password = entry.password;
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') auth.identitytoken = entry.identitytoken;
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') auth.registrytoken = entry.registrytoken;
  const usable = auth.password !== undefined || auth.identitytoken !== undefined || auth.registrytoken !== undefined;
  return usable ? sealed(auth) : undefined;
}

/**
 * Printing the object (console.log, util.inspect, a debug trace) shows no secret. JSON is left
 * intact: it is how the header is made.
 */
function sealed(auth: RegistryAuth): RegistryAuth {
  Object.defineProperty(auth, inspect.custom, {
    enumerable: false,
    value: () => `RegistryAuth { serveraddress: ${JSON.stringify(auth.serveraddress)}${auth.username !== undefined ? `, username: ${JSON.stringify(auth.username)}` : ''}, <secret hidden> }`,
  });
  return auth;
}

/** The username to name in an error about rejected credentials (never the secret). */
export function describeAuth(auth: RegistryAuth | undefined): string {
  if (auth === undefined) return 'no credentials';
  if (auth.username !== undefined && auth.username !== '') return `user ${auth.username}`;
  return 'an identity token';
}

function spawnHelper(env: Readonly<Record<string, string | undefined>>): HelperRunner {
  return (helper, server) =>
    new Promise((resolve, reject) => {
      // node:child_process (with net, dgram and streams) is loaded when a helper runs, not by every `up`.
      const child = process.getBuiltinModule('node:child_process').spawn(`docker-credential-${helper}`, ['get'], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.stdin.on('error', () => undefined);
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.end(server);
    });
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The engine's registry errors in words a person can act on: which image, which registry, which
 * user, and what to do. Registry answers never hold the secret, but a message that somehow quotes
 * it is scrubbed anyway.
 */
export function explainRegistryError(error: unknown, input: { image: string; action: 'pull' | 'push'; auth?: RegistryAuth | undefined }): Error {
  if (!(error instanceof StackError) || error.code === 'ENGINE_UNREACHABLE') return error instanceof Error ? scrub(error, input.auth) : new Error(String(error));
  const registry = registryOf(input.image);
  const raw = error.message;
  const login = `docker login${registry === 'docker.io' ? '' : ` ${registry}`}`;
  const make = (code: 'NOT_FOUND' | 'ENGINE', message: string, hint: string): StackError => scrub(new StackError(code, message, { hint, cause: error }), input.auth);
  if (/unauthorized|authentication required|no basic auth credentials|incorrect username or password|denied: access forbidden/i.test(raw) && !/pull access denied/i.test(raw)) {
    if (input.auth !== undefined) {
      return make('ENGINE', `registry ${registry} rejected the credentials for ${describeAuth(input.auth)}`, `log in again with \`${login}\` (stack reads ${dockerConfigPath()})`);
    }
    return make('ENGINE', `registry ${registry} needs credentials to ${input.action} ${input.image}`, `log in with \`${login}\`, or set DOCKER_CONFIG to a folder whose config.json has them`);
  }
  if (/manifest unknown|manifest for .* not found|pull access denied|repository does not exist|name unknown|not found: manifest/i.test(raw)) {
    return make(
      'NOT_FOUND',
      `pull access denied or image not found: ${input.image}`,
      input.auth !== undefined ? `check the name and tag (credentials for ${describeAuth(input.auth)} were sent)` : `check the name and tag; for a private registry log in first with \`${login}\``,
    );
  }
  if (/connection refused|no such host|i\/o timeout|network is unreachable|no route to host|TLS handshake|server gave HTTP response to HTTPS client|certificate/i.test(raw)) {
    const reason = /(connection refused|no such host|i\/o timeout|network is unreachable|no route to host|TLS handshake timeout|server gave HTTP response to HTTPS client|certificate[^"]*)/i.exec(raw)?.[1] ?? 'unreachable';
    return make('ENGINE', `cannot reach registry ${registry} to ${input.action} ${input.image}: ${reason}`, 'check the registry address and that it is running; a plain-http registry outside 127.0.0.0/8 must be in dockerd\'s insecure-registries');
  }
  if (/no space left on device/i.test(raw)) {
    return make('ENGINE', `no space left on the Docker host while ${input.action === 'pull' ? 'pulling' : 'pushing'} ${input.image}`, 'free space with `docker system prune` (or `docker image prune -a`)');
  }
  if (input.action === 'push' && /does not exist locally|No such image/i.test(raw)) {
    return make('NOT_FOUND', `image ${input.image} does not exist locally, so it cannot be pushed`, 'build it first with `stack build`');
  }
  return scrub(error, input.auth);
}

function scrub<E extends Error>(error: E, auth: RegistryAuth | undefined): E {
  for (const secret of [auth?.password, auth?.identitytoken, auth?.registrytoken]) {
    if (secret !== undefined && secret.length >= 3 && error.message.includes(secret)) error.message = error.message.split(secret).join('***');
  }
  return error;
}
