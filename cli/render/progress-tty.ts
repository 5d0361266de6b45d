// The live task list for terminals, drawn by listr2 in the shape of Compose's tty display:
//   ✔ Network myapp_default    Created   0.1s
//   ⠹ Container myapp-db-1     Waiting
//   ✔ Container myapp-web-1    Started   0.4s
// listr2 only draws here. Core's executor does the scheduling and tells us what happened through
// events; each resource gets one listr2 task that stays open until close(), and events flip its
// state (spinner, ✔, !, ✘) in place. Keeping it open matters: a container can be `Started` (done)
// and later `Waiting`/`Healthy` when a dependant waits on it, and Compose redraws the same line.
//
// listr2 runs only the tasks it knew when run() began, so resources that appear later are attached
// through a chain of untitled "spawner" tasks: each waits for new resources and returns a sub-list
// [new resources..., next spawner]. Untitled tasks draw their subtasks at their own indentation, so
// the chain renders flat. One chain per lane keeps networks and volumes above containers.
import {
  DefaultRenderer,
  Listr,
  ListrDefaultRendererLogLevels,
  ListrLogger,
  ListrTaskState,
  ProcessOutput,
  type ListrTask,
  type ListrTaskWrapper,
  type ListrSimpleRenderer,
} from 'listr2';
import type { ProgressEvent, ProgressStatus, ResourceKind } from '../../core/events.js';
import { colors as makeColors, type Colors } from './color.js';
import { statusColor } from './progress-plain.js';
import { formatElapsed, formatProgress, oneLine, resourceKey, resourceLabel, type OutputStream, type ProgressRenderer } from './progress-text.js';

export interface TtyRendererOptions {
  /** Where the frames are drawn; the CLI passes process.stderr, as Compose does. */
  stream: OutputStream;
  /** The other stream on the same terminal (process.stdout): held back while frames are live so it cannot tear them. */
  otherStream?: OutputStream;
  color: boolean;
  /** Redraw only on events, without the spinner's timer: for tests and slow terminals. */
  lazy?: boolean;
}

/**
 * listr2's default renderer, declared usable without a TTY: listr2 would otherwise fall back to its
 * line renderer whenever process.stdout is not a terminal, even when we draw on a terminal stderr
 * (or on a test stream). Whether to draw live frames at all is decided in progress.ts.
 */
class LiveRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

type LiveRendererClass = typeof LiveRenderer;
type Wrapper = ListrTaskWrapper<unknown, LiveRendererClass, ListrSimpleRenderer>;

interface Entry {
  label: string;
  status: ProgressStatus;
  action: string;
  detail?: string;
  progress?: ProgressEvent['progress'];
  elapsedMs?: number;
  wrapper?: Wrapper;
  finish: () => void;
  finished: Promise<void>;
}

/** Lane order is display order: pulls, then networks and volumes, then containers. */
const LANE_OF: Record<ResourceKind, number> = { image: 0, network: 1, volume: 1, service: 2, container: 2, project: 3 };
const LANES = 4;

export class TtyProgressRenderer implements ProgressRenderer {
  private readonly c: Colors;
  private readonly entries = new Map<string, Entry>();
  private readonly lanes: Lane[] = [];
  private readonly run: Promise<unknown>;
  private labelWidth = 0;
  private closed = false;

  constructor(options: TtyRendererOptions) {
    this.c = makeColors(options.color);
    for (let i = 0; i < LANES; i += 1) this.lanes.push(new Lane());
    const stream = options.stream as unknown as NodeJS.WriteStream;
    const other = (options.otherStream ?? options.stream) as unknown as NodeJS.WriteStream;
    const listr = new Listr<unknown, typeof LiveRenderer, 'simple'>(
      this.lanes.map((lane) => lane.spawner()),
      {
        concurrent: true,
        exitOnError: false,
        // cli/signals.ts owns Ctrl-C; listr2's own handler would call process.exit.
        registerSignalListeners: false,
        // The caller already decided this is a terminal; listr2 would otherwise look at process.stdout.
        fallbackRendererCondition: false,
        silentRendererCondition: false,
        renderer: LiveRenderer,
        rendererOptions: {
          lazy: options.lazy ?? false,
          formatOutput: 'truncate',
          collapseErrors: true,
          showErrorMessage: false,
          collapseSkips: true,
          showSkipMessage: false,
          icon: this.icons(),
          color: this.iconColors(),
          logger: new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(stream, other) }),
        },
      },
    );
    // A renderer failure must never take the command down with it: progress is decoration.
    this.run = listr.run().catch(() => undefined);
  }

  emit(event: ProgressEvent): void {
    if (this.closed) return;
    const key = resourceKey(event);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.createEntry(event);
      this.entries.set(key, entry);
      this.widen(entry.label.length);
      this.lanes[LANE_OF[event.kind] ?? LANES - 1]?.push(this.taskFor(entry));
    }
    entry.status = event.status;
    entry.action = event.action;
    entry.detail = event.detail === undefined ? undefined : oneLine(event.detail);
    entry.progress = event.progress;
    if (event.elapsedMs !== undefined) entry.elapsedMs = event.elapsedMs;
    else if (event.status === 'working') entry.elapsedMs = undefined;
    this.paint(entry);
  }

  async close(): Promise<void> {
    if (this.closed) return this.run.then(() => undefined);
    this.closed = true;
    for (const entry of this.entries.values()) {
      this.paint(entry);
      entry.finish();
    }
    for (const lane of this.lanes) lane.end();
    await this.run;
  }

  private createEntry(event: ProgressEvent): Entry {
    let finish = (): void => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    return { label: resourceLabel(event), status: event.status, action: event.action, finish, finished };
  }

  private taskFor(entry: Entry): ListrTask<unknown, LiveRendererClass, ListrSimpleRenderer> {
    return {
      title: this.title(entry),
      exitOnError: false,
      task: (_ctx, wrapper) => {
        entry.wrapper = wrapper;
        this.paint(entry);
        return entry.finished;
      },
    };
  }

  /** Names are padded to the longest one so actions line up in a column, as in Compose. */
  private widen(width: number): void {
    if (width <= this.labelWidth) return;
    this.labelWidth = width;
    for (const entry of this.entries.values()) this.paint(entry);
  }

  private paint(entry: Entry): void {
    const task = entry.wrapper?.task;
    if (!task) return;
    task.title$ = this.title(entry);
    const state = this.stateOf(entry);
    if (task.state !== state) task.state$ = state;
  }

  private stateOf(entry: Entry): ListrTaskState {
    switch (entry.status) {
      case 'done':
      case 'info':
        return ListrTaskState.COMPLETED;
      case 'error':
        return ListrTaskState.FAILED;
      case 'warning':
        return ListrTaskState.SKIPPED;
      default:
        // Still working when the command ends (interrupted, or nobody sent its last event): not a success.
        return this.closed ? ListrTaskState.SKIPPED : ListrTaskState.STARTED;
    }
  }

  private title(entry: Entry): string {
    const c = this.c;
    let text = `${entry.label.padEnd(this.labelWidth)}  ${statusColor(c, entry.status)(entry.action)}`;
    const progress = formatProgress(entry.progress);
    if (progress) text += ` ${progress}`;
    if (entry.detail) text += ` ${entry.status === 'error' ? c.red(entry.detail) : c.dim(entry.detail)}`;
    if (entry.elapsedMs !== undefined) text += `  ${c.dim(formatElapsed(entry.elapsedMs))}`;
    return text;
  }

  private icons(): Partial<Record<ListrDefaultRendererLogLevels, string>> {
    return {
      [ListrDefaultRendererLogLevels.COMPLETED]: '✔',
      [ListrDefaultRendererLogLevels.FAILED]: '✘',
      [ListrDefaultRendererLogLevels.SKIPPED_WITH_COLLAPSE]: '!',
      [ListrDefaultRendererLogLevels.SKIPPED_WITHOUT_COLLAPSE]: '!',
      [ListrDefaultRendererLogLevels.PENDING]: '⠿',
      [ListrDefaultRendererLogLevels.WAITING]: ' ',
    };
  }

  /** listr2 colours icons through colorette's global detection; ours follow the explicit colour choice. */
  private iconColors(): Partial<Record<ListrDefaultRendererLogLevels, (s?: string) => string>> {
    const c = this.c;
    const wrap = (f: (s: string) => string) => (s?: string) => f(s ?? '');
    const all = Object.values(ListrDefaultRendererLogLevels) as ListrDefaultRendererLogLevels[];
    const map: Partial<Record<ListrDefaultRendererLogLevels, (s?: string) => string>> = {};
    for (const level of all) map[level] = wrap((s) => s);
    map[ListrDefaultRendererLogLevels.COMPLETED] = wrap(c.green);
    map[ListrDefaultRendererLogLevels.FAILED] = wrap(c.red);
    map[ListrDefaultRendererLogLevels.FAILED_WITH_FAILED_SUBTASKS] = wrap(c.red);
    map[ListrDefaultRendererLogLevels.SKIPPED_WITH_COLLAPSE] = wrap(c.yellow);
    map[ListrDefaultRendererLogLevels.SKIPPED_WITHOUT_COLLAPSE] = wrap(c.yellow);
    map[ListrDefaultRendererLogLevels.PENDING] = wrap(c.blue);
    return map;
  }
}

type SpawnTask = ListrTask<unknown, LiveRendererClass, ListrSimpleRenderer>;

/** A queue of tasks for one display lane, fed by emit() and drained by the spawner chain. */
class Lane {
  private queue: SpawnTask[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  push(task: SpawnTask): void {
    this.queue.push(task);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  spawner(): SpawnTask {
    return {
      exitOnError: false,
      task: async (_ctx, wrapper) => {
        const batch = await this.next();
        if (batch.length === 0) return;
        return wrapper.newListr([...batch, this.spawner()], { concurrent: true, exitOnError: false });
      },
    };
  }

  /** The queued tasks, waiting for some if none; empty only once the lane has ended. */
  private async next(): Promise<SpawnTask[]> {
    while (this.queue.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    const batch = this.queue;
    this.queue = [];
    return batch;
  }
}
