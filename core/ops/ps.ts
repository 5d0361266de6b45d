// `ps`: the project's containers from ONE engine list call filtered by the project label. Needs
// only the project name (core/ops/project-ref.ts), never the spec.
import { StackError, UsageError } from '../errors.js';
import type { ContainerState, Engine, ObservedContainer } from '../engine/engine.js';
import { containerNumber, isOneOff, LABEL_SERVICE, projectFilter } from '../observe/labels.js';

export const CONTAINER_STATES: readonly ContainerState[] = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

/** What the engine lists without `all`: containers whose process runs (paused and restarting ones too). */
const LIVE_STATES: ReadonlySet<ContainerState> = new Set(['running', 'paused', 'restarting']);

export interface PsOptions {
  projectName: string;
  /** Only these services; empty = all. */
  services?: string[];
  /** Stopped containers too (`-a`). */
  all?: boolean;
  /** `--status` / `--filter status=`: only containers in these states (implies `all`). */
  status?: string[];
}

/** Sorted by name, as Compose prints them; one-off (`run`) containers included. */
export async function ps(engine: Pick<Engine, 'listContainers'>, options: PsOptions): Promise<ObservedContainer[]> {
  const status = options.status ?? [];
  for (const state of status) {
    if (!(CONTAINER_STATES as readonly string[]).includes(state)) {
      throw new UsageError(`invalid status "${state}"`, `use one of: ${CONTAINER_STATES.join(', ')}`);
    }
  }
  const services = options.services ?? [];
  // Always the whole list, the request every project verb starts with (the CLI may have it on
  // its way already: cli/early-requests.ts); without -a, what the engine would have left out goes here.
  const containers = await engine.listContainers({ labels: projectFilter(options.projectName), all: true });
  const all = options.all === true || status.length > 0;
  return containers
    .filter((c) => all || LIVE_STATES.has(c.state))
    .filter((c) => services.length === 0 || services.includes(c.labels[LABEL_SERVICE] ?? ''))
    .filter((c) => status.length === 0 || status.includes(c.state))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `--filter status=running` (the only filter Compose's ps knows). */
export function parsePsFilter(filter: string): { status: string } {
  const eq = filter.indexOf('=');
  const key = eq < 0 ? filter : filter.slice(0, eq);
  if (key !== 'status' || eq < 0) throw new UsageError(`invalid filter "${filter}"`, 'the only filter is status=<state>');
  return { status: filter.slice(eq + 1) };
}

/** Service names in order of first appearance (containers come sorted by name). */
export function serviceNamesOf(containers: readonly ObservedContainer[]): string[] {
  return [...new Set(containers.map((c) => c.labels[LABEL_SERVICE] ?? '').filter((name) => name !== ''))];
}

export interface ServiceContainerOptions {
  projectName: string;
  service: string;
  /** Replica number; default: the lowest-numbered one. */
  index?: number;
  /** Only running containers (exec, port); otherwise any state. */
  running?: boolean;
}

/** The container `exec`/`port` act on: replica `index` (default the first) of a service, never a one-off. */
export async function serviceContainer(engine: Pick<Engine, 'listContainers'>, options: ServiceContainerOptions): Promise<ObservedContainer> {
  const all = await engine.listContainers({ labels: [...projectFilter(options.projectName), `${LABEL_SERVICE}=${options.service}`], all: options.running !== true });
  const candidates = all
    .filter((c) => !isOneOff(c.labels) && (options.running !== true || c.state === 'running'))
    .sort((a, b) => (containerNumber(a.labels) ?? 0) - (containerNumber(b.labels) ?? 0));
  const found = options.index === undefined ? candidates[0] : candidates.find((c) => containerNumber(c.labels) === options.index);
  if (found) return found;
  const which = options.index === undefined ? `service "${options.service}"` : `container #${options.index} of service "${options.service}"`;
  throw new StackError('NOT_FOUND', `${which} is not running in project ${options.projectName}`, {
    hint: options.running ? `start it with \`stack up -d ${options.service}\`; \`stack ps -a\` shows the project's containers` : '`stack ps -a` shows the project\'s containers',
  });
}
