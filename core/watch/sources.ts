// The develop.watch session of a project: one tree watcher per rule, and per batch the rule's
// action on every running container of its service. Work is serialised (one batch at a time),
// and waits for a spec reload in progress: a container being replaced is not synced into.
import { existsSync } from 'node:fs';
import type { Engine, ObservedContainer } from '../engine/engine.js';
import { StackError, toStackError } from '../errors.js';
import type { Project, Service, WatchRule } from '../model/types.js';
import { isOneOff, projectFilter, serviceOf } from '../observe/labels.js';
import type { TimerClock } from './debounce.js';
import { stableJson } from './diff.js';
import { applySyncPlan, dockerignoreFor, planInitialSync, planRuleSync, ruleFilter, type RuleFilter, type SyncPlan } from './sync.js';
import { watchTrees, type FileChange, type TreeWatcher } from './watcher.js';

export type SyncEngine = Pick<Engine, 'putArchive' | 'exec' | 'restartContainer' | 'listContainers'>;

export type SourceReport =
  | { kind: 'synced'; service: string; action: WatchRule['action']; copied: number; deleted: number; containers: string[]; durationMs: number; initial: boolean }
  | { kind: 'refused'; service: string; path: string; reason: string }
  | { kind: 'rebuilt'; service: string; durationMs: number }
  | { kind: 'sync-failed'; service: string; action: WatchRule['action']; error: StackError };

export interface SourceWatchOptions {
  engine: SyncEngine;
  project: Project;
  quietMs: number;
  clock?: TimerClock;
  /** Stop timeout (seconds) for sync+restart. */
  timeout?: number;
  /** `rebuild`: build the image and recreate the service. */
  rebuild: (service: Service) => Promise<void>;
  /** Resolves when no spec reload is running: batches wait for it. */
  settled?: () => Promise<void>;
  onReport: (report: SourceReport) => void;
  now?: () => number;
}

interface ActiveRule {
  service: string;
  rule: WatchRule;
  filter: RuleFilter;
  watcher?: TreeWatcher;
}

/** Rules as one comparable text: a reload restarts the source watchers only when this changes. */
export function developKey(project: Project): string {
  return stableJson(Object.values(project.services).filter((s) => s.develop && s.develop.watch.length > 0).map((s) => [s.name, s.develop, s.build?.context]));
}

export class SourceWatch {
  private rules: ActiveRule[] = [];
  private queue: Promise<void> = Promise.resolve();
  private project: Project;
  private key = '';
  private closed = false;
  private readonly now: () => number;
  /** Running containers per service, kept between batches (one list call less per save); dropped on reloads and failures. */
  private readonly containers = new Map<string, ObservedContainer[]>();

  constructor(private readonly options: SourceWatchOptions) {
    this.project = options.project;
    this.now = options.now ?? Date.now;
  }

  /** Starts the watchers and runs initial syncs; resolves once watching. */
  async start(): Promise<void> {
    await this.setProject(this.project, true);
  }

  /** After a reload: new rules replace old ones (watchers restart only when the rules changed). */
  async setProject(project: Project, initial = false): Promise<void> {
    this.project = project;
    this.containers.clear();
    const key = developKey(project);
    if (!initial && key === this.key) return;
    this.key = key;
    await this.stopWatchers();
    if (this.closed) return;
    const next: ActiveRule[] = [];
    for (const service of Object.values(project.services)) {
      for (const rule of service.develop?.watch ?? []) {
        const ignoreFile = dockerignoreFor(service, rule);
        const filter = ruleFilter({ rule, ...(ignoreFile ? { dockerignore: ignoreFile.patterns, dockerignoreBase: ignoreFile.base } : {}) });
        next.push({ service: service.name, rule, filter });
      }
    }
    this.rules = next;
    for (const active of next) {
      if (active.rule.target === undefined && active.rule.action !== 'rebuild' && active.rule.action !== 'restart') {
        this.options.onReport({ kind: 'sync-failed', service: active.service, action: active.rule.action, error: new StackError('USAGE', `develop.watch rule for ${active.rule.path}: action ${active.rule.action} needs a target`, { hint: 'add `target: /path/in/container`' }) });
        continue;
      }
      active.watcher = await watchTrees([active.rule.path], {
        quietMs: this.options.quietMs,
        ...(this.options.clock ? { clock: this.options.clock } : {}),
        ignored: (path) => active.filter.ignored(path),
        onBatch: (batch) => this.enqueue(() => this.handle(active, batch, false)),
        onError: (error) => this.options.onReport({ kind: 'sync-failed', service: active.service, action: active.rule.action, error: toStackError(error) }),
      });
      if (active.rule.initial_sync === true && active.rule.action !== 'rebuild' && active.rule.action !== 'restart') {
        this.enqueue(() => this.handle(active, [], true));
      }
    }
  }

  /** Resolves when every batch received so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopWatchers();
    await this.queue;
  }

  private async stopWatchers(): Promise<void> {
    const watchers = this.rules.map((r) => r.watcher).filter((w): w is TreeWatcher => w !== undefined);
    this.rules = [];
    await Promise.all(watchers.map((w) => w.close()));
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.closed) return;
      await this.options.settled?.();
      await job();
    });
  }

  private async handle(active: ActiveRule, batch: readonly FileChange[], initial: boolean): Promise<void> {
    const { rule } = active;
    const started = this.now();
    const service = this.project.services[active.service];
    if (!service) return;
    // Files that `include` leaves out still reach here (the watcher cannot know them in advance).
    if (!initial && !batch.some((c) => !active.filter.ignored(c.path) && (c.kind === 'unlink' || c.kind === 'unlinkDir' || active.filter.wanted(c.path)))) return;
    try {
      if (rule.action === 'rebuild') {
        this.containers.delete(service.name);
        await this.options.rebuild(service);
        this.containers.delete(service.name);
        this.options.onReport({ kind: 'rebuilt', service: service.name, durationMs: this.now() - started });
        return;
      }
      const plan: SyncPlan =
        rule.action === 'restart' ? { copies: [], deletes: [], refused: [] } : initial ? await planInitialSync(rule, active.filter) : planRuleSync(rule, batch, active.filter, existsSync);
      let containers = await this.runningContainers(service.name);
      // No running container (stopped, or being replaced): nothing to copy into until the next save.
      if (containers.length === 0) return;
      let done = plan;
      try {
        for (const c of containers) done = await applySyncPlan(this.options.engine, c.id, plan, rule);
      } catch {
        // The cached containers may be gone (recreated outside this watch): look again, once.
        this.containers.delete(service.name);
        containers = await this.runningContainers(service.name);
        for (const c of containers) done = await applySyncPlan(this.options.engine, c.id, plan, rule);
      }
      for (const refused of done.refused) this.options.onReport({ kind: 'refused', service: service.name, path: refused.path, reason: refused.reason });
      if (done.copies.length === 0 && done.deletes.length === 0 && rule.action !== 'restart') return;
      await Promise.all(containers.map((c) => this.after(rule, c)));
      this.options.onReport({
        kind: 'synced',
        service: service.name,
        action: rule.action,
        copied: done.copies.length,
        deleted: done.deletes.length,
        containers: containers.map((c) => c.name),
        durationMs: this.now() - started,
        initial,
      });
    } catch (error) {
      this.options.onReport({ kind: 'sync-failed', service: service.name, action: rule.action, error: toStackError(error) });
    }
  }

  private async after(rule: WatchRule, container: ObservedContainer): Promise<void> {
    if (rule.action === 'sync+restart' || rule.action === 'restart') {
      await this.options.engine.restartContainer(container.id, this.options.timeout);
      return;
    }
    if (rule.action === 'sync+exec' && rule.exec) {
      const exec = rule.exec;
      const result = await this.options.engine.exec(container.id, {
        command: exec.command,
        tty: false,
        interactive: false,
        ...(exec.user !== undefined ? { user: exec.user } : {}),
        ...(exec.working_dir !== undefined ? { workingDir: exec.working_dir } : {}),
        ...(exec.privileged !== undefined ? { privileged: exec.privileged } : {}),
        ...(exec.environment ? { env: Object.entries(exec.environment).map(([k, v]) => `${k}=${v}`) } : {}),
      });
      if (result.exitCode !== 0) {
        throw new StackError('SERVICE_FAILED', `${container.name}: \`${exec.command.join(' ')}\` exited with code ${result.exitCode}${result.output.trim() ? `: ${result.output.trim()}` : ''}`);
      }
    }
  }

  private async runningContainers(service: string): Promise<ObservedContainer[]> {
    const cached = this.containers.get(service);
    if (cached) return cached;
    const all = await this.options.engine.listContainers({ labels: projectFilter(this.project.name), all: false });
    const running = all.filter((c) => !isOneOff(c.labels) && serviceOf(c.labels) === service && c.state === 'running');
    if (running.length > 0) this.containers.set(service, running);
    return running;
  }
}
