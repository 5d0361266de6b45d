// One line per event, for CI logs and pipes: ` Container myapp-web-1  Started`.
// Nothing is redrawn, so the output reads the same in a log file as on a terminal.
import type { ProgressEvent } from '../../core/events.js';
import { colors as makeColors, type Colors } from './color.js';
import { formatElapsed, formatProgress, oneLine, resourceLabel, type OutputStream, type ProgressRenderer } from './progress-text.js';

export interface PlainRendererOptions {
  stream: OutputStream;
  /** Colour the action by status; callers pass false when the stream is not a TTY. */
  color: boolean;
  /** Prefix every line with the event's ISO 8601 time. */
  timestamps?: boolean;
  /** Append the elapsed time to done/error lines. */
  elapsed?: boolean;
}

export class PlainProgressRenderer implements ProgressRenderer {
  private readonly c: Colors;
  private closed = false;
  /** Lines of the current turn of the event loop: written together (a no-op `up` emits one per container). */
  private pending: string[] = [];

  constructor(private readonly options: PlainRendererOptions) {
    this.c = makeColors(options.color);
  }

  emit(event: ProgressEvent): void {
    if (this.closed) return;
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(formatPlainLine(event, { colors: this.c, timestamps: this.options.timestamps, elapsed: this.options.elapsed }) + '\n');
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.options.stream.write(text);
  }
}

export interface PlainLineOptions {
  colors: Colors;
  timestamps?: boolean;
  elapsed?: boolean;
}

export function formatPlainLine(event: ProgressEvent, options: PlainLineOptions): string {
  const c = options.colors;
  const head = options.timestamps ? new Date(event.timestamp).toISOString() : '';
  let line = `${head} ${resourceLabel(event)}  ${statusColor(c, event.status)(event.action)}`;
  const progress = formatProgress(event.progress);
  if (progress) line += ` ${progress}`;
  if (event.detail) line += `  ${oneLine(event.detail)}`;
  if (options.elapsed && event.elapsedMs !== undefined && (event.status === 'done' || event.status === 'error')) {
    line += `  ${c.dim(formatElapsed(event.elapsedMs))}`;
  }
  return line;
}

export function statusColor(c: Colors, status: ProgressEvent['status']): (s: string) => string {
  switch (status) {
    case 'done':
      return c.green;
    case 'error':
      return c.red;
    case 'warning':
      return c.yellow;
    case 'info':
      return c.blue;
    default:
      return (s: string) => s;
  }
}
