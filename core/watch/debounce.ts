// Coalesces bursts of file events into batches (Compose's pkg/watch/debounce.go): a batch is
// emitted once no event arrived for `quietMs`, or at the latest `maxWaitMs` after its first
// event, so that a file rewritten forever still gets applied. Time is injected: tests drive a
// fake clock instead of sleeping.

/** Timers, injected: the system's by default, a fake one in tests. */
export interface TimerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimerClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface DebouncerOptions<T> {
  /** Emit once nothing arrived for this long (ms). */
  quietMs: number;
  /** Emit at the latest this long (ms) after the first item of a batch; default 10 x quietMs. */
  maxWaitMs?: number;
  clock?: TimerClock;
  /** Receives each batch, items in arrival order. */
  onBatch: (batch: T[]) => void;
}

export class Debouncer<T> {
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly clock: TimerClock;
  private readonly onBatch: (batch: T[]) => void;
  private items: T[] = [];
  private firstAt = 0;
  private timer: unknown;
  private disposed = false;

  constructor(options: DebouncerOptions<T>) {
    this.quietMs = options.quietMs;
    this.maxWaitMs = options.maxWaitMs ?? options.quietMs * 10;
    this.clock = options.clock ?? systemTimerClock;
    this.onBatch = options.onBatch;
  }

  push(item: T): void {
    if (this.disposed) return;
    const now = this.clock.now();
    if (this.items.length === 0) this.firstAt = now;
    this.items.push(item);
    this.cancelTimer();
    const wait = Math.max(0, Math.min(this.quietMs, this.firstAt + this.maxWaitMs - now));
    this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Emits what is pending now (no-op when empty). */
  flush(): void {
    this.cancelTimer();
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.onBatch(batch);
  }

  get pending(): number {
    return this.items.length;
  }

  /** Drops what is pending; later pushes are ignored. */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.items = [];
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
