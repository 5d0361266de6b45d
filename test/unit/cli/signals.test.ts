import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onInterrupt, type SignalSource } from '../../../cli/signals.js';

function setup(signals?: string[]) {
  const source = new EventEmitter();
  const calls: string[] = [];
  const handler = onInterrupt({
    source: source as unknown as SignalSource,
    graceful: (signal) => calls.push(`graceful:${signal}`),
    force: (signal) => calls.push(`force:${signal}`),
    ...(signals ? { signals } : {}),
  });
  return { source, calls, handler };
}

describe('onInterrupt (two-stage Ctrl-C)', () => {
  it('calls the graceful callback on the first signal only', () => {
    const { source, calls, handler } = setup();
    source.emit('SIGINT');
    expect(calls).toEqual(['graceful:SIGINT']);
    expect(handler.count).toBe(1);
  });

  it('calls the force callback on the second signal, and again on later ones', () => {
    const { source, calls } = setup();
    source.emit('SIGINT');
    source.emit('SIGINT');
    source.emit('SIGINT');
    expect(calls).toEqual(['graceful:SIGINT', 'force:SIGINT', 'force:SIGINT']);
  });

  it('counts SIGINT and SIGTERM together by default', () => {
    const { source, calls } = setup();
    source.emit('SIGTERM');
    source.emit('SIGINT');
    expect(calls).toEqual(['graceful:SIGTERM', 'force:SIGINT']);
  });

  it('listens only to the signals it is given', () => {
    const { source, calls } = setup(['SIGHUP']);
    source.emit('SIGINT');
    source.emit('SIGHUP');
    expect(calls).toEqual(['graceful:SIGHUP']);
    expect(source.listenerCount('SIGINT')).toBe(0);
  });

  it('removes its listeners on dispose, and dispose can be called twice', () => {
    const { source, calls, handler } = setup();
    expect(source.listenerCount('SIGINT')).toBe(1);
    handler.dispose();
    handler.dispose();
    expect(source.listenerCount('SIGINT')).toBe(0);
    expect(source.listenerCount('SIGTERM')).toBe(0);
    source.emit('SIGINT');
    expect(calls).toEqual([]);
  });

  it('keeps other listeners of the same signal', () => {
    const { source, handler } = setup();
    const other = (): void => {};
    source.on('SIGINT', other);
    handler.dispose();
    expect(source.listeners('SIGINT')).toEqual([other]);
  });
});
