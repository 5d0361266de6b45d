import { describe, expect, test } from 'vitest';
import { DependencyCycleError } from '../../../core/errors.js';
import { dependencyOrder } from '../../../core/plan/dependencies.js';

const edgesOf = (map: Record<string, string[]>) => (name: string): string[] => map[name] ?? [];

describe('dependencyOrder', () => {
  test('dependencies first, wave by wave, each wave sorted by name', () => {
    const edges = edgesOf({ web: ['api', 'cache'], api: ['db'], cache: [], db: [], worker: ['db'] });
    expect(dependencyOrder(['worker', 'web', 'db', 'cache', 'api'], edges)).toEqual(['cache', 'db', 'api', 'worker', 'web']);
  });

  test('ignores edges to names outside the list, self edges and repeated edges', () => {
    const edges = edgesOf({ a: ['a', 'gone', 'b', 'b'], b: ['elsewhere'] });
    expect(dependencyOrder(['a', 'b'], edges)).toEqual(['b', 'a']);
  });

  test('a long chain comes out in order', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `s${String(i).padStart(4, '0')}`);
    const edges = (name: string): string[] => {
      const i = Number(name.slice(1));
      return i === 0 ? [] : [names[i - 1]!];
    };
    expect(dependencyOrder([...names].reverse(), edges)).toEqual(names);
  });

  test('a cycle is an error naming the services caught in it or behind it', () => {
    const edges = edgesOf({ a: ['b'], b: ['a'], c: ['a'], d: [] });
    let error: unknown;
    try {
      dependencyOrder(['a', 'b', 'c', 'd'], edges);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DependencyCycleError);
    expect((error as Error).message).toContain('a -> b -> c -> a');
  });
});
