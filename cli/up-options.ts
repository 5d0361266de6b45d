// Flags of `up`, `create` and `scale` checked and turned into core options: pure functions, so
// the conflicts Compose reports (`-d` with `--abort-on-container-exit`...) are unit-tested.
import { UsageError } from '../core/errors.js';
import type { Project, PullPolicy } from '../core/model/types.js';

export const PULL_POLICIES = ['always', 'missing', 'never', 'build'] as const;
export type PullFlag = (typeof PULL_POLICIES)[number];

export interface UpFlags {
  detach?: boolean;
  /** true = `--build`, false = `--no-build`. */
  build?: boolean;
  pull?: PullFlag;
  forceRecreate?: boolean;
  /** false = `--no-recreate`. */
  recreate?: boolean;
  /** false = `--no-start`. */
  start?: boolean;
  /** false = `--no-deps`. */
  deps?: boolean;
  removeOrphans?: boolean;
  scale?: string[];
  wait?: boolean;
  waitTimeout?: number;
  abortOnContainerExit?: boolean;
  exitCodeFrom?: string;
  /** `+svc` for --attach, `-svc` for --no-attach (see tagAttach in cli/operation.ts). */
  attach?: string[];
  timestamps?: boolean;
  /** false = `--no-color`. */
  color?: boolean;
  /** false = `--no-log-prefix`. */
  logPrefix?: boolean;
  timeout?: number;
}

export interface AttachFlags {
  attach: string[];
  noAttach: string[];
}

export function splitAttach(tagged: readonly string[] | undefined): AttachFlags {
  const attach: string[] = [];
  const noAttach: string[] = [];
  for (const entry of tagged ?? []) (entry.startsWith('-') ? noAttach : attach).push(entry.slice(1));
  return { attach, noAttach };
}

/** Compose's flag conflicts (cmd/compose/up.go validateFlags), with its wording. */
export function validateUpFlags(flags: UpFlags): void {
  const { attach } = splitAttach(flags.attach);
  const cascade = flags.abortOnContainerExit === true || flags.exitCodeFrom !== undefined;
  if (flags.wait && (cascade || attach.length > 0)) {
    throw new UsageError('--wait cannot be combined with --abort-on-container-exit, --exit-code-from or --attach', '--wait implies --detach: drop one of them');
  }
  if (flags.detach && (cascade || attach.length > 0)) {
    throw new UsageError('--detach cannot be combined with --abort-on-container-exit, --exit-code-from or --attach', 'those flags need the logs attached: drop -d, or drop them');
  }
  if (flags.forceRecreate && flags.recreate === false) throw new UsageError('--force-recreate and --no-recreate are incompatible');
  if (flags.start === false && flags.wait) throw new UsageError('--no-start and --wait are incompatible', 'nothing is started, so there is nothing to wait for');
  if (flags.start === false && cascade) throw new UsageError('--no-start cannot be combined with --abort-on-container-exit or --exit-code-from');
  if (flags.waitTimeout !== undefined && !flags.wait) throw new UsageError('--wait-timeout needs --wait');
}

/** Whether `up` stays attached to the logs: Compose detaches for -d, --wait and --no-start. */
export function isAttached(flags: UpFlags): boolean {
  return !flags.detach && !flags.wait && flags.start !== false;
}

/** `--scale web=3 --scale db=1` -> { web: 3, db: 1 } (the last value for a service wins). */
export function parseScale(values: readonly string[] | undefined): Record<string, number> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const value of values) {
    const match = /^([^=]+)=(\d+)$/.exec(value.trim());
    if (!match) throw new UsageError(`invalid scale "${value}"`, 'use SERVICE=N, for example --scale web=3');
    out[match[1]!] = Number(match[2]);
  }
  return out;
}

/** Scaled services must exist: a typo would otherwise be silently ignored. */
export function checkScaleServices(project: Project, scale: Record<string, number> | undefined): void {
  for (const name of Object.keys(scale ?? {})) {
    if (project.services[name] !== undefined) continue;
    const known = Object.keys(project.services).sort();
    throw new UsageError(`cannot scale ${name}: no such service`, known.length > 0 ? `services are: ${known.join(', ')}` : undefined);
  }
}

/** `--pull`: overrides every service's pull_policy for this run (Compose does the same in its CLI layer). */
export function withPullPolicy(project: Project, pull: PullFlag | undefined): Project {
  if (pull === undefined) return project;
  const services: Project['services'] = {};
  for (const [name, service] of Object.entries(project.services)) {
    // `build` only means something for services that can build; the others keep their policy.
    const policy: PullPolicy | undefined = pull === 'build' && service.build === undefined ? service.pull_policy : pull;
    services[name] = policy === undefined ? service : { ...service, pull_policy: policy };
  }
  return { ...project, services };
}

export interface AttachSelection {
  /** Services whose logs are printed. */
  print: string[];
  /** Services whose exits end the session. */
  watch: string[];
}

/**
 * Whose logs attached `up` shows (Compose): `--attach` services if given, else the services named
 * on the command line, else all selected ones; minus `--no-attach`. With nothing printed, the
 * session still watches the selected services and ends when they have all stopped.
 */
export function attachSelection(input: { selected: readonly string[]; named: readonly string[]; tagged?: readonly string[] }): AttachSelection {
  const { attach, noAttach } = splitAttach(input.tagged);
  const known = new Set(input.selected);
  for (const name of [...attach, ...noAttach]) {
    if (!known.has(name)) throw new UsageError(`cannot attach to ${name}: it is not one of the services being started`, `services: ${[...known].sort().join(', ')}`);
  }
  const base = attach.length > 0 ? attach : input.named.length > 0 ? [...input.named] : [...input.selected];
  const print = [...new Set(base)].filter((name) => !noAttach.includes(name));
  return { print, watch: print.length > 0 ? print : [...input.selected] };
}
