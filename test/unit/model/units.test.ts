import { describe, expect, it } from 'vitest';
import { formatDuration, parseByteSize, parseDuration } from '../../../core/model/canonical/units.js';
import { buildChecked, errorOf, build, serviceOf } from './support.js';

describe('durations', () => {
  it.each([
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['1h2m3s', 3_723_000],
    ['2d', 172_800_000],
    ['100us', 0.1],
    ['0s', 0],
    ['10', 10_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads a plain number as seconds', () => {
    expect(parseDuration(30)).toBe(30_000);
  });

  it.each(['', 'abc', '10x', '1m30', 's'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [500, '500ms'],
    [10_000, '10s'],
    [1500, '1.5s'],
    [0, '0s'],
    [0.1, '100µs'],
    [1.5, '1.5ms'],
    [3_723_000, '1h2m3s'],
  ])('prints %d ms as Go does (%s)', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('prints back what it parses', () => {
    for (const text of ['1m30s', '1h0m0s', '500ms', '2.25s', '45m0s']) expect(formatDuration(parseDuration(text)!)).toBe(text);
  });
});

describe('byte sizes', () => {
  it.each([
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['100k', 102_400],
    ['100kb', 102_400],
    ['64MiB', 64 * 1024 ** 2],
    ['2048', 2048],
    ['1 g', 1024 ** 3],
  ])('parses %s', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it('keeps numbers as bytes', () => {
    expect(parseByteSize(4096)).toBe(4096);
  });

  it.each(['', 'big', '1x', '1.5.5g'])('rejects %j', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});

describe('units in services', () => {
  it('normalises sizes and stop_grace_period and round-trips them', () => {
    const project = buildChecked(`
services:
  web:
    image: nginx
    shm_size: 64m
    mem_limit: 1g
    mem_reservation: 512m
    memswap_limit: -1
    stop_grace_period: 1m30s
    cpus: "0.5"
`);
    const web = serviceOf(project);
    expect(web.shm_size).toBe(64 * 1024 ** 2);
    expect(web.mem_limit).toBe(1024 ** 3);
    expect(web.memswap_limit).toBe(-1);
    expect(web.stop_grace_period).toBe(90_000);
    expect(web.cpus).toBe(0.5);
  });

  it('points at a bad duration', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    stop_grace_period: soon\n`));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain('invalid duration "soon"');
    expect(error.problems?.[0]?.location).toMatchObject({ line: 4, col: 24 });
  });

  it('points at a bad size', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    mem_limit: lots\n`));
    expect(error.message).toContain('invalid size "lots"');
    expect(error.problems?.[0]?.path).toEqual(['services', 'web', 'mem_limit']);
  });
});
