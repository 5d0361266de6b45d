import { describe, expect, it } from 'vitest';
import {
  isNamedVolumeSource,
  isPullPolicy,
  isRestartPolicy,
  parseBoolean,
  parseByteSize,
  parseDuration,
  parseFileMode,
  parseInteger,
  parseNumber,
  parsePortMapping,
  parseVolumeMapping,
} from '../../../core/validate/syntax.js';

describe('parsePortMapping', () => {
  it.each([
    ['80', { target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['8080:80', { published: { start: 8080, end: 8080 }, target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['53:53/udp', { published: { start: 53, end: 53 }, target: { start: 53, end: 53 }, protocol: 'udp' }],
    ['127.0.0.1:8001:8001', { hostIp: '127.0.0.1', published: { start: 8001, end: 8001 }, target: { start: 8001, end: 8001 }, protocol: 'tcp' }],
    ['127.0.0.1::80', { hostIp: '127.0.0.1', target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['9090-9091:8080-8081', { published: { start: 9090, end: 9091 }, target: { start: 8080, end: 8081 }, protocol: 'tcp' }],
    ['[::1]:6001:6001', { hostIp: '::1', published: { start: 6001, end: 6001 }, target: { start: 6001, end: 6001 }, protocol: 'tcp' }],
    ['::1:6000:6000', { hostIp: '::1', published: { start: 6000, end: 6000 }, target: { start: 6000, end: 6000 }, protocol: 'tcp' }],
    ['3000-3005', { target: { start: 3000, end: 3005 }, protocol: 'tcp' }],
  ])('reads %s', (text, expected) => {
    expect(parsePortMapping(text)).toEqual(expected);
  });

  it.each(['80:80:80', 'abc', '80/http', '70000', '8080:', 'localhost:80:80', '5-3', ''])('rejects %s', (text) => {
    expect(parsePortMapping(text)).toBeUndefined();
  });
});

describe('parseVolumeMapping', () => {
  it.each([
    ['/data', { target: '/data' }],
    ['./data:/data', { source: './data', target: '/data' }],
    ['db:/var/lib/db:ro', { source: 'db', target: '/var/lib/db', mode: 'ro' }],
    ['/src:/src:rw,z', { source: '/src', target: '/src', mode: 'rw,z' }],
    ['C:\\data:/data', { source: 'C:\\data', target: '/data' }],
    ['~/cache:/cache:cached', { source: '~/cache', target: '/cache', mode: 'cached' }],
  ])('reads %s', (text, expected) => {
    expect(parseVolumeMapping(text)).toEqual(expected);
  });

  it.each(['data', './data:data', '/a:/b:rx', ':/data', '/a:/b:ro:extra'])('rejects %s', (text) => {
    expect(parseVolumeMapping(text)).toBeUndefined();
  });

  it('tells named volumes from host paths', () => {
    expect(['db-data', 'cache_1'].map(isNamedVolumeSource)).toEqual([true, true]);
    expect(['./data', '/srv', '~/x', '../up', 'C:\\x', 'dir/sub'].map(isNamedVolumeSource)).toEqual([false, false, false, false, false, false]);
  });
});

describe('units', () => {
  it('reads Go durations as milliseconds', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(['10', '1m30', 's', '-5s', '1y', ''].map(parseDuration)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('reads byte sizes with binary units', () => {
    expect(parseByteSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('1g')).toBe(1024 ** 3);
    expect(parseByteSize('1.5GB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('64 MiB')).toBe(64 * 1024 ** 2);
    expect(parseByteSize('100')).toBe(100);
    expect(parseByteSize(2048)).toBe(2048);
    expect(['1x', 'lots', '-1m', ''].map((t) => parseByteSize(t))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reads booleans, whole numbers and numbers written as strings', () => {
    expect(['true', 'False', 'yes', 'off', '1'].map((t) => parseBoolean(t))).toEqual([true, false, true, false, true]);
    expect(parseBoolean('maybe')).toBeUndefined();
    expect(['3', '-1', '+7'].map((t) => parseInteger(t))).toEqual([3, -1, 7]);
    expect(['3.5', 'three', ''].map((t) => parseInteger(t))).toEqual([undefined, undefined, undefined]);
    expect(['0.5', '2', '.25', '1e3'].map((t) => parseNumber(t))).toEqual([0.5, 2, 0.25, 1000]);
    expect(parseNumber('half')).toBeUndefined();
  });

  it('reads file modes as octal', () => {
    expect(parseFileMode('0440')).toBe(0o440);
    expect(parseFileMode('0o755')).toBe(0o755);
    expect(parseFileMode(288)).toBe(288);
    expect(parseFileMode('0999')).toBeUndefined();
  });

  it('knows restart and pull policies', () => {
    expect(['no', 'always', 'on-failure', 'on-failure:3', 'unless-stopped'].every(isRestartPolicy)).toBe(true);
    expect(['yes', 'on-failure:x', 'never'].some(isRestartPolicy)).toBe(false);
    expect(['always', 'missing', 'every_12h', 'daily'].every(isPullPolicy)).toBe(true);
    expect(['sometimes', 'every_day'].some(isPullPolicy)).toBe(false);
  });
});
