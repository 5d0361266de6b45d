// Words shared by the progress renderers, so tty, plain and json name things the same way.
import type { ProgressEvent, ResourceKind } from '../../core/events.js';

/** The smallest stream surface the renderers need: process.stdout/stderr or a test double. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** A progress renderer: an EventSink that must be closed so a live display can finish its last frame. */
export interface ProgressRenderer {
  emit(event: ProgressEvent): void;
  close(): Promise<void>;
}

const KIND_LABELS: Record<ResourceKind, string> = {
  project: 'Project',
  service: 'Service',
  container: 'Container',
  network: 'Network',
  volume: 'Volume',
  image: 'Image',
};

export function kindLabel(kind: ResourceKind): string {
  return KIND_LABELS[kind] ?? String(kind);
}

/** Compose shows one decimal of seconds: `0.4s`, `12.0s`. */
export function formatElapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** `Container myapp-web-1`: the identity of one line in the tty list. */
export function resourceLabel(event: Pick<ProgressEvent, 'kind' | 'resource'>): string {
  return `${kindLabel(event.kind)} ${event.resource}`;
}

export function resourceKey(event: Pick<ProgressEvent, 'kind' | 'resource'>): string {
  return `${event.kind}\u0000${event.resource}`;
}

/** Pull/build progress as a short suffix: `[12.3MB/40.1MB]` or `[3/7]`. */
export function formatProgress(progress: ProgressEvent['progress']): string {
  if (!progress) return '';
  const { current, total } = progress;
  if (total === undefined || total <= 0) return `[${current}]`;
  if (total > 1024) return `[${formatBytes(current)}/${formatBytes(total)}]`;
  return `[${current}/${total}]`;
}

function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)}${units[unit]}`;
}

/** Engine error messages can span lines; a progress line must stay one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
