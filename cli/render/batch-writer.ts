// Many small writes (one per log line) cost a syscall each on a pipe; this joins the text written
// during one turn of the event loop into one write. Callers still write whole lines, so lines
// never tear; output is at most one event-loop turn (or `limit` characters) late.
import type { OutputStream } from './progress-text.js';

export class BatchWriter implements OutputStream {
  private parts: string[] = [];
  private size = 0;
  private scheduled = false;

  constructor(
    private readonly target: OutputStream,
    private readonly limit = 64 * 1024,
  ) {}

  get isTTY(): boolean | undefined {
    return this.target.isTTY;
  }

  write(text: string): boolean {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.limit) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  flush(): void {
    this.scheduled = false;
    if (this.parts.length === 0) return;
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.target.write(text);
  }
}
