// Progress is an event stream, not UI: core emits these, cli/render/* draws them
// (a live listr2 task list in a terminal, plain lines in CI, one JSON object per line for scripts).

export type ResourceKind = 'project' | 'service' | 'container' | 'network' | 'volume' | 'image';

export type ProgressStatus = 'working' | 'done' | 'warning' | 'error' | 'info';

export interface ProgressEvent {
  kind: ResourceKind;
  /** Engine-side name: `myapp-web-1`, `myapp_default`, `redis:7`. */
  resource: string;
  /** What happens, in Compose's words: Creating, Created, Starting, Started, Pulling, Waiting, Healthy, Stopping, Removed... */
  action: string;
  status: ProgressStatus;
  detail?: string;
  /** For pulls, pushes and builds: bytes or steps. */
  progress?: { current: number; total?: number };
  /** Milliseconds since the resource's first event, on done/error. */
  elapsedMs?: number;
  timestamp: number;
}

export interface EventSink {
  emit(event: ProgressEvent): void;
}

/** For callers that do not want progress. */
export const silentSink: EventSink = { emit: () => {} };

/** Collects events: for tests and for the JSON API. */
export class RecordingSink implements EventSink {
  readonly events: ProgressEvent[] = [];
  emit(event: ProgressEvent): void {
    this.events.push(event);
  }
}
