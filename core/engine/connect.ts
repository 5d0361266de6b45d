// Builds the Engine client for the address found the docker CLI's way (core/engine/address.ts):
// DOCKER_HOST, then the current Docker context, then the default socket.
import type { Engine } from './engine.js';
import { DockerEngine, type DockerEngineOptions, type EngineTrace } from './docker.js';
import { nonEmpty, resolveEngineAddress, type EngineAddress, type Env } from './address.js';
import { EarlyTransport, type EarlyAnswers } from './early-transport.js';
import { HttpTransport } from './http-transport.js';

export type { EngineCall, EngineTrace } from './docker.js';
export { DEFAULT_ENGINE_URL, resolveEngineAddress, type EngineAddress, type EngineTls } from './address.js';

export interface ConnectOptions {
  env?: Env;
  homeDir?: string;
  /** Called once per engine call with the operation and resource, for --debug output. */
  trace?: EngineTrace;
  /** Reads the launcher sent ahead (core/engine/early-transport.ts), used if they went to the same address. */
  early?: EarlyEngine;
}

export interface EarlyEngine {
  address: EngineAddress;
  answers: EarlyAnswers;
}

/** Resolves the address and builds the engine client; no network traffic happens until the first call. */
export function connectEngine(options: ConnectOptions = {}): Engine {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? nonEmpty(env['HOME']) ?? '/root';
  const address = resolveEngineAddress(env, homeDir);
  const engineOptions: DockerEngineOptions = options.trace === undefined ? {} : { trace: options.trace };
  if (options.early !== undefined && sameAddress(options.early.address, address)) engineOptions.transport = new EarlyTransport(new HttpTransport(address), options.early.answers);
  return new DockerEngine(address, engineOptions);
}

function sameAddress(a: EngineAddress, b: EngineAddress): boolean {
  return a.url === b.url && JSON.stringify(a.tls ?? null) === JSON.stringify(b.tls ?? null);
}

