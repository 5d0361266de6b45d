// What an Engine API request is, and the read requests that more than one place makes: the
// engine client (core/engine/docker.ts) and the launcher, which starts some of them before the
// client is even loaded (cli/early-requests.ts). Pure: no I/O, nothing loaded.
import type { Readable } from 'node:stream';
import type { RegistryAuth } from './engine.js';

export type QueryValue = string | number | boolean | string[] | undefined;

export interface EngineRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  path: string;
  /** Arrays repeat the key (`t=a&t=b`); undefined values are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Streamed as a tar archive (build context, archive upload). */
  file?: Readable;
  /** Resolve with the response stream once the status says success, instead of the parsed body. */
  stream?: boolean;
  /** Upgrade the connection and resolve with the raw socket, for writing to the process's stdin. */
  hijack?: boolean;
  signal?: AbortSignal;
  auth?: RegistryAuth | Record<string, never>;
  /** X-Registry-Config: credentials by server address, for the base images of a build. */
  registryConfig?: Record<string, RegistryAuth>;
}

/** `?a=1&t=x&t=y`, empty when nothing is set. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [String(value)];
    for (const item of values) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** The identity of a plain read (method, path and query); undefined for anything else. */
export function readKey(request: EngineRequest): string | undefined {
  const plain = request.method === 'GET' && request.body === undefined && !request.stream && !request.hijack && request.file === undefined && request.signal === undefined && request.auth === undefined;
  return plain ? `GET ${request.path}${encodeQuery(request.query)}` : undefined;
}

function labelFilters(labels: string[]): string | undefined {
  return labels.length === 0 ? undefined : JSON.stringify({ label: labels });
}

export interface ContainerFilter {
  labels: string[];
  all: boolean;
}

export function listContainersRequest(filter: ContainerFilter): EngineRequest {
  return { method: 'GET', path: '/containers/json', query: { all: filter.all, filters: labelFilters(filter.labels) } };
}

export function listNetworksRequest(labels: string[]): EngineRequest {
  return { method: 'GET', path: '/networks', query: { filters: labelFilters(labels) } };
}

export function listVolumesRequest(labels: string[]): EngineRequest {
  return { method: 'GET', path: '/volumes', query: { filters: labelFilters(labels) } };
}

export const LIST_IMAGES: EngineRequest = { method: 'GET', path: '/images/json' };
