// `depends_on`: a list of names -> {condition: service_started, restart: false, required: true};
// the mapping form gets the same defaults for what it leaves out.
import type { KeyPath } from '../../errors.js';
import type { DependsOn, DependsOnCondition } from '../types.js';
import { describe, expectBoolean, fail, isRecord, type TransformContext } from './context.js';

const CONDITIONS: readonly DependsOnCondition[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

export function dependsOnAt(ctx: TransformContext, value: unknown, path: KeyPath): Record<string, DependsOn> {
  const out: Record<string, DependsOn> = {};
  if (Array.isArray(value)) {
    value.forEach((name, index) => {
      if (typeof name !== 'string') fail(ctx, [...path, index], `expected a service name, got ${describe(name)}`);
      out[name] = { condition: 'service_started', restart: false, required: true };
    });
    return out;
  }
  if (isRecord(value)) {
    for (const [name, raw] of Object.entries(value)) {
      const at = [...path, name];
      const entry = raw === null || raw === undefined ? {} : raw;
      if (!isRecord(entry)) fail(ctx, at, `expected a mapping with condition/restart/required, got ${describe(entry)}`);
      const condition = (entry.condition ?? 'service_started') as DependsOnCondition;
      if (!CONDITIONS.includes(condition)) {
        fail(ctx, [...at, 'condition'], `unknown condition ${JSON.stringify(entry.condition)}`, `use one of ${CONDITIONS.join(', ')}`);
      }
      out[name] = {
        condition,
        restart: entry.restart === undefined ? false : expectBoolean(ctx, entry.restart, [...at, 'restart']),
        required: entry.required === undefined ? true : expectBoolean(ctx, entry.required, [...at, 'required']),
      };
    }
    return out;
  }
  fail(ctx, path, `expected a list of service names or a mapping, got ${describe(value)}`);
}
