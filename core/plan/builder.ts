// Accumulates plan nodes; keeps ids unique and edges pointing backwards (a valid topological
// order by construction).
import { InternalError } from '../errors.js';
import type { FieldChange, Operation, Plan, PlanNode } from './types.js';

export interface NodeInput {
  id: string;
  op: Operation;
  resource: string;
  cause: string;
  changes?: FieldChange[];
  dependsOn?: readonly string[];
}

export class PlanBuilder {
  private readonly nodes: PlanNode[] = [];
  private readonly byId = new Map<string, PlanNode>();
  readonly warnings: string[] = [];

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): PlanNode | undefined {
    return this.byId.get(id);
  }

  /** `base`, or `base:<suffix>` when `base` is taken (two containers with the same number). */
  uniqueId(base: string, suffix: string): string {
    return this.byId.has(base) ? `${base}:${suffix}` : base;
  }

  add(input: NodeInput): string {
    if (this.byId.has(input.id)) throw new InternalError(`plan node ${input.id} added twice`);
    const dependsOn = [...new Set(input.dependsOn ?? [])].sort();
    for (const dep of dependsOn) {
      if (!this.byId.has(dep)) throw new InternalError(`plan node ${input.id} depends on unknown node ${dep}`);
    }
    const node: PlanNode = { id: input.id, op: input.op, resource: input.resource, cause: input.cause, dependsOn };
    if (input.changes && input.changes.length > 0) node.changes = input.changes;
    this.nodes.push(node);
    this.byId.set(node.id, node);
    return node.id;
  }

  build(): Plan {
    return { nodes: this.nodes, warnings: this.warnings };
  }
}
