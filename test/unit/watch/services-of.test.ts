import { describe, expect, it } from 'vitest';
import type { ExecutableNode } from '../../../core/apply/operations.js';
import { servicesOf } from '../../../core/ops/watch.js';

const ref = (service: string) => ({ name: `p-${service}-1`, service });

describe('servicesOf (what a reload did, for its summary line)', () => {
  it('names services whose containers were created, started, stopped, restarted or removed, and nothing else', () => {
    const nodes: ExecutableNode[] = [
      { id: 'n', op: { kind: 'create-network', key: 'default', name: 'p_default', network: { name: 'p_default', driver_opts: {}, external: false, labels: {}, extensions: {} }, labels: {} }, resource: 'n', cause: 'x', dependsOn: [] },
      { id: 'c', op: { kind: 'create-container', service: 'web', number: 1, name: 'p-web-1', image: 'i', configHash: 'h', labels: {} }, resource: 'c', cause: 'x', dependsOn: [] },
      { id: 's', op: { kind: 'stop-container', container: ref('db') }, resource: 's', cause: 'x', dependsOn: [] },
      { id: 'r', op: { kind: 'restart-container', container: ref('api') }, resource: 'r', cause: 'x', dependsOn: [] },
      { id: 'w', op: { kind: 'wait-condition', service: 'cache', condition: 'service_healthy', containers: ['p-cache-1'], required: true }, resource: 'w', cause: 'x', dependsOn: [] },
      { id: 'k', op: { kind: 'rename-container', container: ref('old'), to: 'x' }, resource: 'k', cause: 'x', dependsOn: [] },
    ];
    expect(servicesOf(nodes)).toEqual(['api', 'db', 'web']);
  });
});
