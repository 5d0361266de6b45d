// One JSON object per line for scripts (`--progress json`). The key set is fixed so that
// consumers can rely on it: absent optional values are written as null, never left out.
import type { ProgressEvent } from '../../core/events.js';
import type { OutputStream, ProgressRenderer } from './progress-text.js';

export interface JsonRendererOptions {
  stream: OutputStream;
}

export interface ProgressJsonRecord {
  kind: ProgressEvent['kind'];
  resource: string;
  action: string;
  status: ProgressEvent['status'];
  detail: string | null;
  elapsedMs: number | null;
  /** ISO 8601, UTC. */
  timestamp: string;
  /** Only on pull/push/build events that carry a count. */
  progress?: { current: number; total: number | null };
}

export function progressJsonRecord(event: ProgressEvent): ProgressJsonRecord {
  const record: ProgressJsonRecord = {
    kind: event.kind,
    resource: event.resource,
    action: event.action,
    status: event.status,
    detail: event.detail ?? null,
    elapsedMs: event.elapsedMs ?? null,
    timestamp: new Date(event.timestamp).toISOString(),
  };
  if (event.progress) record.progress = { current: event.progress.current, total: event.progress.total ?? null };
  return record;
}

export class JsonProgressRenderer implements ProgressRenderer {
  private closed = false;

  constructor(private readonly options: JsonRendererOptions) {}

  emit(event: ProgressEvent): void {
    if (this.closed) return;
    this.options.stream.write(JSON.stringify(progressJsonRecord(event)) + '\n');
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
