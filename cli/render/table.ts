// `stack ps` output: the column table and the per-container JSON of `docker compose ps`
// (docker/cli's container formatter: 3-space gaps, quoted COMMAND cut at 20, "3 minutes ago").
import type { ObservedContainer, ObservedPort } from '../../core/engine/engine.js';

export interface TableOptions {
  /** Spaces between columns; docker's tabwriter uses 3. */
  gap?: number;
}

/**
 * Left-aligned columns, each as wide as its widest cell. The last column is not padded,
 * so lines carry no trailing spaces. Returns the lines joined by "\n", with a final "\n".
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const gap = ' '.repeat(options.gap ?? 3);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const last = headers.length - 1;
  const format = (cells: readonly string[]): string =>
    headers.map((_, i) => (i === last ? (cells[i] ?? '') : (cells[i] ?? '').padEnd(widths[i] ?? 0))).join(gap).trimEnd();
  return [format(headers), ...rows.map(format)].map((line) => line + '\n').join('');
}

export const PS_HEADERS = ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'] as const;

export interface PsTableOptions {
  /** Injected for tests; defaults to the current time. */
  now?: Date | number;
  /** `--no-trunc`: show the full command. */
  truncate?: boolean;
}

export function psTable(containers: readonly ObservedContainer[], options: PsTableOptions = {}): string {
  const now = options.now ?? Date.now();
  const rows = containers.map((c) => [
    c.name,
    c.image,
    quoteCommand(c.command, options.truncate === false ? undefined : 20),
    c.labels['com.docker.compose.service'] ?? '',
    relativeTime(c.created * 1000, now),
    c.status,
    formatPorts(c.ports),
  ]);
  return renderTable(PS_HEADERS, rows);
}

/** `"docker-entrypoint.s…"`: docker cuts to `max` characters including the ellipsis, then quotes. */
export function quoteCommand(command: string, max?: number): string {
  return `"${max === undefined ? command : ellipsis(command, max)}"`;
}

export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, max).join('');
  return chars.slice(0, max - 1).join('') + '…';
}

/** docker's order: by container port, then host port, protocol and address. */
function sortPorts(ports: readonly ObservedPort[]): ObservedPort[] {
  return [...ports].sort(
    (a, b) =>
      a.privatePort - b.privatePort ||
      (a.publicPort ?? 0) - (b.publicPort ?? 0) ||
      compare(a.protocol, b.protocol) ||
      compare(a.ip ?? '', b.ip ?? ''),
  );
}

/** Code-unit order, not locale order: output must not depend on the user's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `127.0.0.1:8080->80/tcp, [::]:5432->5432/tcp, 9000/udp`; duplicates (same mapping reported twice) are dropped. */
export function formatPorts(ports: readonly ObservedPort[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const port of sortPorts(ports)) {
    const text = formatPort(port);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out.join(', ');
}

function formatPort(port: ObservedPort): string {
  const target = `${port.privatePort}/${port.protocol}`;
  if (port.publicPort === undefined || port.publicPort === 0) return target;
  const host = port.ip ? (port.ip.includes(':') ? `[${port.ip}]:` : `${port.ip}:`) : '';
  return `${host}${port.publicPort}->${target}`;
}

/** docker's units.HumanDuration: "Less than a second", "About a minute", "3 minutes", "2 days"... */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(Math.floor(ms / 3_600_000) / 24 / 365)} years`;
}

/** `3 minutes ago`. Times are Dates or epoch milliseconds; a clock skewed into the future reads as now. */
export function relativeTime(date: Date | number, now: Date | number): string {
  const ms = toMs(now) - toMs(date);
  return `${humanDuration(Math.max(0, ms))} ago`;
}

function toMs(value: Date | number): number {
  return typeof value === 'number' ? value : value.getTime();
}

export interface PsPublisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

/** One container as `docker compose ps --format json` prints it (one object per line). */
export interface PsJson {
  ID: string;
  Name: string;
  Names: string;
  Image: string;
  Command: string;
  Project: string;
  Service: string;
  /** Seconds since the epoch. */
  Created: number;
  /** docker's text form: `2026-11-23 11:55:05 +0000 UTC`. */
  CreatedAt: string;
  State: string;
  Status: string;
  Health: string;
  ExitCode: number;
  Publishers: PsPublisher[];
  Labels: string;
  LocalVolumes: string;
  Mounts: string;
  Networks: string;
  Ports: string;
  RunningFor: string;
  Size: string;
}

/**
 * Fields and value shapes follow Compose's output. ID and Command are not truncated (Compose cuts
 * them, which makes the JSON useless for `docker inspect`); Size is "0B" because sizes are not queried.
 */
export function psJsonObject(container: ObservedContainer, options: { now?: Date | number } = {}): PsJson {
  const now = options.now ?? Date.now();
  const labels = container.labels;
  return {
    ID: container.id,
    Name: container.name,
    Names: container.name,
    Image: container.image,
    Command: quoteCommand(container.command),
    Project: labels['com.docker.compose.project'] ?? '',
    Service: labels['com.docker.compose.service'] ?? '',
    Created: container.created,
    CreatedAt: dockerTime(container.created * 1000),
    State: container.state,
    Status: container.status,
    Health: container.health ?? '',
    ExitCode: container.exitCode ?? 0,
    Publishers: sortPorts(container.ports).map((p) => ({
      URL: p.ip ?? '',
      TargetPort: p.privatePort,
      PublishedPort: p.publicPort ?? 0,
      Protocol: p.protocol,
    })),
    Labels: Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`)
      .join(','),
    LocalVolumes: String(container.mounts.filter((m) => m.type === 'volume').length),
    Mounts: container.mounts.map((m) => m.name ?? m.source).join(','),
    Networks: [...container.networks].sort().join(','),
    Ports: formatPorts(container.ports),
    RunningFor: relativeTime(container.created * 1000, now),
    Size: '0B',
  };
}

export function psJsonLine(container: ObservedContainer, options: { now?: Date | number } = {}): string {
  return JSON.stringify(psJsonObject(container, options));
}

/** `2026-11-23 11:55:05 +0000 UTC`: Go's time.Time String() in UTC. */
function dockerTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
