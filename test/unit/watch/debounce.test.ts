import { describe, expect, it } from 'vitest';
import { Debouncer } from '../../../core/watch/debounce.js';
import { FakeTimerClock } from './fake-clock.js';

function setup(quietMs = 100, maxWaitMs?: number) {
  const clock = new FakeTimerClock();
  const batches: string[][] = [];
  const debouncer = new Debouncer<string>({ quietMs, ...(maxWaitMs !== undefined ? { maxWaitMs } : {}), clock, onBatch: (b) => batches.push(b) });
  return { clock, batches, debouncer };
}

describe('Debouncer', () => {
  it('coalesces a burst into one batch, in arrival order, after the quiet window', () => {
    const { clock, batches, debouncer } = setup(100);
    debouncer.push('a');
    clock.advance(30);
    debouncer.push('b');
    clock.advance(30);
    debouncer.push('c');
    clock.advance(99);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('emits separate batches for events separated by more than the quiet window', () => {
    const { clock, batches, debouncer } = setup(100);
    debouncer.push('a');
    clock.advance(150);
    debouncer.push('b');
    clock.advance(150);
    expect(batches).toEqual([['a'], ['b']]);
  });

  it('emits at the latest maxWaitMs after the first event of a never-ending burst', () => {
    const { clock, batches, debouncer } = setup(100, 250);
    for (let t = 0; t < 10; t++) {
      debouncer.push(`e${t}`);
      clock.advance(50);
    }
    expect(batches[0]).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(batches.length).toBeGreaterThanOrEqual(1);
  });

  it('emits nothing when nothing was pushed, and nothing after dispose', () => {
    const { clock, batches, debouncer } = setup(100);
    clock.advance(1000);
    debouncer.flush();
    debouncer.push('a');
    debouncer.dispose();
    clock.advance(1000);
    debouncer.push('b');
    clock.advance(1000);
    expect(batches).toEqual([]);
  });

  it('flush emits the pending batch at once', () => {
    const { batches, debouncer } = setup(100);
    debouncer.push('a');
    expect(debouncer.pending).toBe(1);
    debouncer.flush();
    expect(batches).toEqual([['a']]);
    expect(debouncer.pending).toBe(0);
  });
});
