// `stack logs` / attached `up` output: `web-1  | hello`, one colour per container, names padded
// to the longest so the bars line up (Compose's cmd/formatter/logs.go). Every output line leaves
// in ONE write() call: lines from many containers interleave in arrival order but never tear.
import type { LogLine } from '../../core/engine/engine.js';
import { colors as makeColors, type Colors } from './color.js';
import type { OutputStream } from './progress-text.js';

type PaletteColor = 'cyan' | 'yellow' | 'green' | 'magenta' | 'blue' | 'cyanBright' | 'yellowBright' | 'greenBright' | 'magentaBright' | 'blueBright';

/** Compose's rainbow, in its order: assigned to containers in order of first appearance, then cycled. */
export const LOG_PALETTE: readonly PaletteColor[] = [
  'cyan',
  'yellow',
  'green',
  'magenta',
  'blue',
  'cyanBright',
  'yellowBright',
  'greenBright',
  'magentaBright',
  'blueBright',
];

export interface LogPrinterOptions {
  stream: OutputStream;
  color: boolean;
  /** false for `--no-log-prefix`. */
  prefix?: boolean;
  /** `--timestamps`: print each line's engine timestamp after the prefix. */
  timestamps?: boolean;
  /** Names known up front (all containers of the project): fixes the padding before the first line. */
  names?: readonly string[];
}

export class LogPrinter {
  private readonly c: Colors;
  private readonly colorOf = new Map<string, PaletteColor>();
  private readonly pending = new Map<string, string>();
  private width = 0;

  constructor(private readonly options: LogPrinterOptions) {
    this.c = makeColors(options.color);
    for (const name of options.names ?? []) this.register(name);
  }

  /** Gives a container its colour (stable for the printer's life, so a restarted container keeps it) and widens the padding. */
  register(name: string): void {
    if (!this.colorOf.has(name)) {
      this.colorOf.set(name, LOG_PALETTE[this.colorOf.size % LOG_PALETTE.length] ?? 'cyan');
    }
    this.width = Math.max(this.width, name.length);
  }

  colorFor(name: string): PaletteColor {
    this.register(name);
    return this.colorOf.get(name) ?? 'cyan';
  }

  /** `web-1  | `, coloured; empty with `--no-log-prefix`. */
  prefixFor(name: string): string {
    if (this.options.prefix === false) return '';
    const color = this.colorFor(name);
    return this.c[color](`${name.padEnd(this.width)} | `);
  }

  /** Writes one complete line. */
  line(name: string, line: LogLine): void {
    const stamp = this.options.timestamps && line.timestamp ? `${line.timestamp} ` : '';
    this.options.stream.write(`${this.prefixFor(name)}${stamp}${line.text}\n`);
  }

  /**
   * Writes raw output that may end mid-line (TTY containers, attach streams): complete lines go out
   * at once, the tail waits for the rest of its line from the same container.
   */
  chunk(name: string, text: string, options: { timestamp?: string } = {}): void {
    const joined = (this.pending.get(name) ?? '') + text;
    const parts = joined.split('\n');
    const tail = parts.pop() ?? '';
    for (const part of parts) this.line(name, { stream: 'stdout', text: stripCR(part), timestamp: options.timestamp });
    if (tail === '') this.pending.delete(name);
    else this.pending.set(name, tail);
  }

  /** Writes what is left of unfinished lines (a container stopped without a final newline). */
  flush(name?: string): void {
    const names = name === undefined ? [...this.pending.keys()] : [name];
    for (const n of names) {
      const tail = this.pending.get(n);
      this.pending.delete(n);
      if (tail !== undefined && tail !== '') this.line(n, { stream: 'stdout', text: stripCR(tail) });
    }
  }
}

function stripCR(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * The name shown in front of a container's lines: `web-1` (service and replica number from the
 * Compose labels), falling back to the container name for containers without them.
 */
export function logDisplayName(container: { name: string; labels: Record<string, string> }): string {
  const service = container.labels['com.docker.compose.service'];
  const number = container.labels['com.docker.compose.container-number'];
  if (!service) return container.name;
  const oneoff = container.labels['com.docker.compose.oneoff'] === 'True';
  if (oneoff || !number) return container.name;
  return `${service}-${number}`;
}
