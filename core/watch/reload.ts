// Spec reloads, one at a time: batch -> load -> validate -> model -> diff -> apply. A save that
// does not load keeps the last good model and touches nothing; batches arriving during a reload
// are merged into the next one. Loading and applying are injected, so this file decides only
// the sequence and the report (tests drive it with fakes; core/ops/watch.ts gives the real ones).
import { toStackError, type StackError } from '../errors.js';
import type { Project } from '../model/types.js';
import { diffProjects, type ProjectChange } from './diff.js';

export interface LoadedModel {
  project: Project;
  warnings: string[];
}

/** What an apply did: the services whose containers were created, recreated, started, stopped or removed. */
export interface AppliedChange {
  touched: string[];
  warnings: string[];
}

export interface ReloadSummary {
  added: string[];
  changed: string[];
  removed: string[];
}

export type ReloadReport =
  | { kind: 'applied'; files: string[]; durationMs: number; summary: ReloadSummary; line: string; volumesKept: string[]; warnings: string[]; project: Project }
  /** The new spec does not load or validate: nothing was touched. */
  | { kind: 'invalid'; files: string[]; durationMs: number; error: StackError }
  /** The spec loaded but applying it failed part-way (engine refused something). */
  | { kind: 'failed'; files: string[]; durationMs: number; error: StackError; project: Project };

export interface ReloaderOptions {
  /** The model currently applied. */
  initial: Project;
  load: () => Promise<LoadedModel>;
  apply: (input: { previous: Project; next: Project; change: ProjectChange }) => Promise<AppliedChange>;
  onReport: (report: ReloadReport) => void;
  now?: () => number;
}

export class Reloader {
  private last: Project;
  private running: Promise<void> | undefined;
  private queued: Set<string> | undefined;
  /** Services whose last apply failed: looked at again on the next reload even if unchanged. */
  private retry = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: ReloaderOptions) {
    this.last = options.initial;
    this.now = options.now ?? Date.now;
  }

  /** The last model that loaded and validated. */
  get project(): Project {
    return this.last;
  }

  /** Asks for a reload caused by `files`; resolves when that reload (or the one it joined) is done. */
  request(files: readonly string[]): Promise<void> {
    if (this.running) {
      this.queued ??= new Set();
      for (const file of files) this.queued.add(file);
      return this.running.then(() => this.idle());
    }
    this.running = this.loop(new Set(files)).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when no reload is running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(first: Set<string>): Promise<void> {
    let files: Set<string> | undefined = first;
    while (files) {
      await this.reloadOnce([...files].sort());
      files = this.queued;
      this.queued = undefined;
    }
  }

  private async reloadOnce(files: string[]): Promise<void> {
    const started = this.now();
    let loaded: LoadedModel;
    try {
      loaded = await this.options.load();
    } catch (error) {
      this.options.onReport({ kind: 'invalid', files, durationMs: this.now() - started, error: toStackError(error) });
      return;
    }
    const previous = this.last;
    const next = loaded.project;
    const change = diffProjects(previous, next);
    for (const name of this.retry) if (next.services[name] && !change.selection.includes(name)) change.selection.push(name);
    change.selection.sort();
    this.last = next;
    try {
      const applied = await this.options.apply({ previous, next, change });
      this.retry = new Set();
      const summary = summarize(change, applied.touched);
      const durationMs = this.now() - started;
      this.options.onReport({
        kind: 'applied',
        files,
        durationMs,
        summary,
        line: formatReloadLine(durationMs, summary),
        volumesKept: change.volumesLeft,
        warnings: [...loaded.warnings, ...applied.warnings],
        project: next,
      });
    } catch (error) {
      this.retry = new Set([...change.selection, ...this.retry]);
      this.options.onReport({ kind: 'failed', files, durationMs: this.now() - started, error: toStackError(error), project: next });
    }
  }
}

/** `+` new services, `~` services whose containers something was done to, `-` services gone. */
export function summarize(change: ProjectChange, touched: readonly string[]): ReloadSummary {
  const added = new Set(change.added);
  return {
    added: [...change.added],
    changed: [...new Set(touched)].filter((name) => !added.has(name) && !change.removed.includes(name)).sort(),
    removed: [...change.removed],
  };
}

/** `reloaded in 0.8s: +worker ~web -cron`, or `reloaded in 0.1s: no change`. */
export function formatReloadLine(durationMs: number, summary: ReloadSummary): string {
  const parts = [...summary.added.map((s) => `+${s}`), ...summary.changed.map((s) => `~${s}`), ...summary.removed.map((s) => `-${s}`)];
  return `reloaded in ${(durationMs / 1000).toFixed(1)}s: ${parts.length > 0 ? parts.join(' ') : 'no change'}`;
}
