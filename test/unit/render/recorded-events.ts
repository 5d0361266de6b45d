// A recorded `stack up` of a two-service project (db with a healthcheck, web depending on it),
// in the order core emits it. Shared by the renderer tests.
import type { ProgressEvent } from '../../../core/events.js';

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

export const UP_EVENTS: ProgressEvent[] = [
  { kind: 'network', resource: 'myapp_default', action: 'Creating', status: 'working', timestamp: T0 },
  { kind: 'volume', resource: 'myapp_data', action: 'Creating', status: 'working', timestamp: T0 + 1 },
  { kind: 'network', resource: 'myapp_default', action: 'Created', status: 'done', elapsedMs: 120, timestamp: T0 + 120 },
  { kind: 'volume', resource: 'myapp_data', action: 'Created', status: 'done', elapsedMs: 40, timestamp: T0 + 41 },
  { kind: 'container', resource: 'myapp-db-1', action: 'Creating', status: 'working', timestamp: T0 + 130 },
  { kind: 'container', resource: 'myapp-db-1', action: 'Created', status: 'done', elapsedMs: 80, timestamp: T0 + 210 },
  { kind: 'container', resource: 'myapp-web-1', action: 'Creating', status: 'working', timestamp: T0 + 215 },
  { kind: 'container', resource: 'myapp-web-1', action: 'Created', status: 'done', elapsedMs: 60, timestamp: T0 + 275 },
  { kind: 'container', resource: 'myapp-db-1', action: 'Starting', status: 'working', timestamp: T0 + 280 },
  { kind: 'container', resource: 'myapp-db-1', action: 'Started', status: 'done', elapsedMs: 400, timestamp: T0 + 680 },
  { kind: 'container', resource: 'myapp-db-1', action: 'Waiting', status: 'working', timestamp: T0 + 690 },
  { kind: 'container', resource: 'myapp-db-1', action: 'Healthy', status: 'done', elapsedMs: 2100, timestamp: T0 + 2790 },
  { kind: 'container', resource: 'myapp-web-1', action: 'Starting', status: 'working', timestamp: T0 + 2800 },
  { kind: 'container', resource: 'myapp-web-1', action: 'Started', status: 'done', elapsedMs: 300, timestamp: T0 + 3100 },
];

export const FAILING_EVENTS: ProgressEvent[] = [
  { kind: 'image', resource: 'redis:7', action: 'Pulling', status: 'working', progress: { current: 1_500_000, total: 3_000_000 }, timestamp: T0 },
  { kind: 'image', resource: 'redis:7', action: 'Pulled', status: 'done', elapsedMs: 900, timestamp: T0 + 900 },
  { kind: 'container', resource: 'myapp-cache-1', action: 'Starting', status: 'working', timestamp: T0 + 950 },
  { kind: 'container', resource: 'myapp-cache-1', action: 'Error', status: 'error', detail: 'port 6379 is already allocated', elapsedMs: 50, timestamp: T0 + 1000 },
  { kind: 'project', resource: 'myapp', action: 'Found orphan containers', status: 'warning', detail: '(myapp-old-1)', timestamp: T0 + 1001 },
];

/** A stream double that records writes, as the renderers see process.stderr. */
export class FakeStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY = false,
    readonly columns = 120,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}
