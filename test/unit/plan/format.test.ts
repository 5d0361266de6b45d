import { describe, expect, test } from 'vitest';
import { diffConfig, formatChange, formatValue } from '../../../core/plan/diff.js';
import { formatPlan, naturalCompare } from '../../../core/plan/format.js';
import type { Plan } from '../../../core/plan/types.js';

describe('formatPlan', () => {
  test('sorts by kind then naturally by resource, and is independent of node order', () => {
    const container = (name: string) => ({ name, service: 'web' });
    const plan: Plan = {
      nodes: [
        { id: 'c10', op: { kind: 'remove-container', container: container('x'), removeAnonymousVolumes: false }, resource: 'web-10', cause: 'scale down', dependsOn: [] },
        { id: 'c2', op: { kind: 'remove-container', container: container('y'), removeAnonymousVolumes: false }, resource: 'web-2', cause: 'scale down', dependsOn: [] },
        { id: 'v', op: { kind: 'remove-volume', name: 'v' }, resource: 'volume v', cause: 'down -v', dependsOn: [] },
        { id: 'n', op: { kind: 'remove-network', name: 'n' }, resource: 'network n', cause: 'down', dependsOn: [] },
      ],
      warnings: ['careful'],
    };
    const text = ['network n: remove (down)', 'volume v: remove (down -v)', 'web-2: remove (scale down)', 'web-10: remove (scale down)', 'warning: careful'].join('\n');
    expect(formatPlan(plan)).toBe(text);
    expect(formatPlan({ ...plan, nodes: [...plan.nodes].reverse() })).toBe(text);
  });
});

describe('naturalCompare', () => {
  test('orders numbers by value', () => {
    expect(['web-10', 'web-2', 'db-1', 'web-1'].sort(naturalCompare)).toEqual(['db-1', 'web-1', 'web-2', 'web-10']);
  });
});

describe('diffConfig', () => {
  test('reports added, removed and changed leaves with paths', () => {
    const before = { environment: { A: '1', B: '2' }, ports: [{ published: '8080', target: 80 }], 'odd.key': 1 };
    const after = { environment: { A: '1', C: '3' }, ports: [{ published: '8081', target: 80 }, { target: 90 }], 'odd.key': 2 };
    expect(diffConfig(before, after).map(formatChange)).toEqual([
      'environment.B: "2" -> (unset)',
      'environment.C: (unset) -> "3"',
      '"odd.key": 1 -> 2',
      'ports[0].published: "8080" -> "8081"',
      'ports[1]: (unset) -> {"target":90}',
    ]);
  });

  test('an absent map compares as empty, equal values give no change', () => {
    expect(diffConfig({}, { environment: { M: 'x' } }).map(formatChange)).toEqual(['environment.M: (unset) -> "x"']);
    expect(diffConfig({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
  });

  test('long values are shortened', () => {
    expect(formatValue('x'.repeat(100))).toHaveLength(60);
  });
});
