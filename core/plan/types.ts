// A Plan is data: a DAG of atomic operations, each ONE engine call, each with the reason it is
// there. The executor (core/apply) walks it and takes no decisions; formatPlan() prints it for
// `up --dry-run` and for golden tests (Compose's plan.go).
import type { DependsOnCondition, Network, PullPolicy, Volume } from '../model/types.js';

/**
 * A container an operation acts on. `name` is always known and is accepted by the engine in
 * place of an id; `id` is set for containers that exist when the plan is made.
 */
export interface ContainerRef {
  name: string;
  id?: string;
  service: string;
  /** Absent for one-offs and containers without a valid number label. */
  number?: number;
}

export type Operation =
  | { kind: 'create-network'; key: string; name: string; network: Network; labels: Record<string, string> }
  | { kind: 'remove-network'; name: string; id?: string }
  | { kind: 'create-volume'; key: string; name: string; volume: Volume; labels: Record<string, string> }
  | { kind: 'remove-volume'; name: string }
  /**
   * Pull. With `fallbackBuild` (a service whose `build:` makes this image), a failed pull is a
   * warning, and the image is then built when it is not present locally (Compose's pull-then-build).
   */
  | { kind: 'pull-image'; image: string; platform?: string; services: string[]; fallbackBuild?: string }
  /**
   * Local images were not observed: inspect, then act when missing. `refresh` (a periodic
   * pull_policy) also pulls a present image whose last pull is older than the policy's interval.
   */
  | { kind: 'ensure-image'; image: string; platform?: string; services: string[]; whenMissing: WhenMissing; refresh?: PullPolicy }
  /** Build the service's image (implemented by a later issue). */
  | { kind: 'build-image'; service: string; image: string }
  | { kind: 'remove-image'; image: string }
  | {
      kind: 'create-container';
      service: string;
      number: number;
      /** Final engine name. */
      name: string;
      image: string;
      configHash: string;
      /** Complete label set for the new container (ours + the user's). */
      labels: Record<string, string>;
      /**
       * On recreate: the container being replaced (already renamed to `temporaryName`). The
       * executor reads its mounts and carries its anonymous volumes over to the new container.
       */
      inheritFrom?: { id: string; name: string };
    }
  | { kind: 'start-container'; container: ContainerRef }
  | { kind: 'stop-container'; container: ContainerRef; timeoutSeconds?: number }
  | { kind: 'restart-container'; container: ContainerRef; timeoutSeconds?: number }
  | { kind: 'remove-container'; container: ContainerRef; removeAnonymousVolumes: boolean }
  | { kind: 'rename-container'; container: ContainerRef; to: string }
  | { kind: 'connect-network'; container: ContainerRef; network: string }
  /**
   * Block until every listed container meets the condition: `service_started` (running),
   * `service_healthy` (health = healthy) or `service_completed_successfully` (exited 0).
   * `required: false` turns a failure into a warning.
   */
  | { kind: 'wait-condition'; service: string; condition: DependsOnCondition; containers: string[]; required: boolean };

export type OperationKind = Operation['kind'];

/** What ensure-image does when the image is missing; `pull-or-build` builds when the pull fails. */
export type WhenMissing = 'pull' | 'build' | 'pull-or-build' | 'fail';

/** One field that differs between the running container's config and the desired one. */
export interface FieldChange {
  /** `environment.MODE`, `ports[0].published`. */
  path: string;
  /** Absent = the field was not set. */
  before?: unknown;
  after?: unknown;
}

export interface PlanNode {
  /** Unique in the plan: `container:web:1:create`, `network:default:create`, `wait:db:service_healthy`. */
  id: string;
  op: Operation;
  /** The user's name for the resource: `web-1`, `network myapp_default`, `image redis:7`. */
  resource: string;
  /** Why: "not found", "config changed", "scale down", "orphaned container", "forced"... */
  cause: string;
  /** For recreates whose previous config is known: what changed. */
  changes?: FieldChange[];
  /** Ids of the nodes that must finish first. */
  dependsOn: string[];
}

export interface Plan {
  /** In insertion order, which is a valid topological order (a node only depends on earlier ones). */
  nodes: PlanNode[];
  /** Things the user should know that do not stop the plan (orphans, diverged networks). */
  warnings: string[];
}
