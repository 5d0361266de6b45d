// Builds the Engine client for the address found the docker CLI's way (core/engine/address.ts):
// DOCKER_HOST, then the current Docker context, then the default socket.
import type { Engine } from './engine.js';
import { DockerEngine, type EngineTrace } from './docker.js';
import { nonEmpty, resolveEngineAddress, type Env } from './address.js';

export type { EngineCall, EngineTrace } from './docker.js';
export { DEFAULT_ENGINE_URL, resolveEngineAddress, type EngineAddress, type EngineTls } from './address.js';

export interface ConnectOptions {
  env?: Env;
  homeDir?: string;
  /** Called once per engine call with the operation and resource, for --debug output. */
  trace?: EngineTrace;
}

/** Resolves the address and builds the engine client; no network traffic happens until the first call. */
export function connectEngine(options: ConnectOptions = {}): Engine {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? nonEmpty(env['HOME']) ?? '/root';
  const address = resolveEngineAddress(env, homeDir);
  return new DockerEngine(address, options.trace === undefined ? {} : { trace: options.trace });
}

