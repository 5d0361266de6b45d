import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { maybePrune } from '../../core/cache-pruning.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fill(count: number): void {
  dir = mkdtempSync(path.join(tmpdir(), 'stack-prune-'));
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `e${i}`);
    writeFileSync(file, '');
    // Entry i was written at second i: higher numbers are newer.
    utimesSync(file, i, i);
  }
}

describe('maybePrune', () => {
  it('trims a folder above max to its newest entries', () => {
    fill(12);
    maybePrune(dir, { max: 10, keep: 4, probability: 1 });
    expect(readdirSync(dir).sort()).toEqual(['e10', 'e11', 'e8', 'e9']);
  });

  it('leaves a folder at or under max alone, and does nothing when the dice say no', () => {
    fill(10);
    maybePrune(dir, { max: 10, keep: 4, probability: 1 });
    expect(readdirSync(dir)).toHaveLength(10);
    maybePrune(dir, { max: 5, keep: 4, probability: 0.5, random: () => 0.9 });
    expect(readdirSync(dir)).toHaveLength(10);
  });

  it('a missing folder is not an error', () => {
    fill(0);
    expect(() => maybePrune(path.join(dir, 'gone'), { max: 0, keep: 0, probability: 1 })).not.toThrow();
  });
});
