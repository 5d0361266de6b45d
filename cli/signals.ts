// Compose's two-stage Ctrl-C: the first signal asks for a graceful end (stop the containers),
// the second forces it (kill them). Later signals repeat the force: a user pressing Ctrl-C a
// third time must never be ignored. While installed, the handlers replace Node's default
// "exit at once" behaviour; `dispose()` gives it back.

/** The part of `process` used here; tests pass an EventEmitter. */
export interface SignalSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface TwoStageOptions {
  /** First signal. */
  graceful: (signal: string) => void;
  /** Second and later signals. */
  force: (signal: string) => void;
  /** Default: SIGINT and SIGTERM. */
  signals?: readonly string[];
  /** Default: process. */
  source?: SignalSource;
}

export interface TwoStageHandler {
  /** 0 before any signal, 1 after the first, 2 after the second... */
  readonly count: number;
  /** Removes the handlers (idempotent). */
  dispose(): void;
}

export function onInterrupt(options: TwoStageOptions): TwoStageHandler {
  const source = options.source ?? (process as unknown as SignalSource);
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let count = 0;
  let disposed = false;
  const listeners = signals.map((name) => {
    const listener = (): void => {
      count += 1;
      if (count === 1) options.graceful(name);
      else options.force(name);
    };
    source.on(name, listener);
    return [name, listener] as const;
  });
  return {
    get count() {
      return count;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const [name, listener] of listeners) source.off(name, listener);
    },
  };
}
