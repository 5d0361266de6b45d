// The text of a plan: `up --dry-run` prints it and planner tests compare against it. One line per
// resource action with its reason, sorted (networks, volumes, images, then containers and waits
// by name), so the same plan always reads the same. A recreate's five nodes read as one line.
import { formatChange } from './diff.js';
import type { OperationKind, Plan, PlanNode } from './types.js';

const CATEGORY: Record<OperationKind, number> = {
  'create-network': 0,
  'remove-network': 0,
  'connect-network': 3,
  'create-volume': 1,
  'remove-volume': 1,
  'pull-image': 2,
  'ensure-image': 2,
  'build-image': 2,
  'remove-image': 2,
  'create-container': 3,
  'start-container': 3,
  'stop-container': 3,
  'restart-container': 3,
  'remove-container': 3,
  'rename-container': 3,
  'wait-condition': 3,
};

interface Line {
  category: number;
  text: string;
}

export function formatPlan(plan: Plan): string {
  const groups = new Map<string, PlanNode[]>();
  for (const node of plan.nodes) {
    // Waits are separate lines: one service may be waited on for two conditions.
    const key = node.op.kind === 'wait-condition' ? `${node.resource}\u0000${node.id}` : node.resource;
    const group = groups.get(key) ?? [];
    group.push(node);
    groups.set(key, group);
  }
  const lines: Line[] = [...groups.values()].map(describeGroup);
  lines.sort((a, b) => a.category - b.category || naturalCompare(a.text, b.text));
  const out = lines.map((line) => line.text);
  for (const warning of plan.warnings) out.push(`warning: ${warning}`);
  return out.join('\n');
}

function describeGroup(nodes: PlanNode[]): Line {
  const first = nodes[0]!;
  const kinds = new Set(nodes.map((n) => n.op.kind));
  const category = CATEGORY[first.op.kind];
  const resource = first.resource;

  const create = nodes.find((n) => n.op.kind === 'create-container');
  if (create) {
    const replaced = create.op.kind === 'create-container' && create.op.inheritFrom !== undefined;
    const extra = kinds.has('start-container') ? [] : ['not started'];
    return { category, text: `${resource}: ${replaced ? 'recreate' : 'create'} (${reasons(create, extra)})` };
  }
  if (first.op.kind === 'wait-condition') return { category, text: `${resource}: wait until ${first.cause}` };

  const [verb, primary] = verbOf(nodes, kinds);
  if (primary.op.kind === 'create-network' || primary.op.kind === 'create-volume') {
    return { category, text: primary.cause === 'not found' ? `${resource}: ${verb}` : `${resource}: ${verb} (${reasons(primary)})` };
  }
  const causes = [...new Set(nodes.filter((n) => n.op.kind !== 'stop-container' || !kinds.has('remove-container')).map((n) => n.cause))];
  return { category, text: `${resource}: ${verb} (${causes.join(', ')})` };
}

/** Container groups read as their steps in order (`rename + start`); a stop before a remove is implied. */
const VERBS: [OperationKind, string][] = [
  ['rename-container', 'rename'],
  ['connect-network', 'connect'],
  ['start-container', 'start'],
  ['restart-container', 'restart'],
  ['stop-container', 'stop'],
  ['remove-container', 'remove'],
  ['create-network', 'create'],
  ['remove-network', 'remove'],
  ['create-volume', 'create'],
  ['remove-volume', 'remove'],
  ['build-image', 'build'],
  ['pull-image', 'pull'],
  ['ensure-image', 'ensure'],
  ['remove-image', 'remove'],
];

function verbOf(nodes: PlanNode[], kinds: Set<OperationKind>): [string, PlanNode] {
  const present = VERBS.filter(([kind]) => kinds.has(kind) && !(kind === 'stop-container' && kinds.has('remove-container')));
  if (present.length === 0) return [nodes[0]!.op.kind, nodes[0]!];
  const primary = nodes.find((n) => n.op.kind === present[0]![0])!;
  return [present.map(([, verb]) => verb).join(' + '), primary];
}

function reasons(node: PlanNode, extra: string[] = []): string {
  const parts = node.changes && node.changes.length > 0 ? node.changes.map(formatChange) : [node.cause];
  return [...parts, ...extra].join(', ');
}

/** `web-2` before `web-10`; plain code-unit order otherwise, so no locale can change a plan's text. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
