// depends_on conditions and --wait, with a scripted engine and a fake clock: no real time passes.
import { describe, expect, test } from 'vitest';
import { judgeCondition, waitForCondition, waitForReady, type Clock, type WaitUpdate } from '../../../core/apply/wait.js';
import type { Engine, ObservedContainer } from '../../../core/engine/engine.js';
import { observedContainer } from '../support/observed-container.js';

function container(name: string, fields: Partial<ObservedContainer> = {}): ObservedContainer {
  return observedContainer({ id: name, name, image: 'x', imageId: 'sha256:x', labels: { 'com.docker.compose.service': name.split('-')[1] ?? name }, ...fields });
}

/** Each inspect of a container returns the next scripted state (the last one repeats). */
function scriptedEngine(script: Record<string, Partial<ObservedContainer>[]>): Engine {
  const calls = new Map<string, number>();
  return {
    inspectContainer: async (name: string) => {
      const states = script[name];
      if (!states) return undefined;
      const i = calls.get(name) ?? 0;
      calls.set(name, i + 1);
      return container(name, states[Math.min(i, states.length - 1)]);
    },
  } as unknown as Engine;
}

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

describe('waitForCondition', () => {
  test('service_healthy resolves once every container is healthy, polling at the interval', async () => {
    const clock = fakeClock();
    const updates: WaitUpdate[] = [];
    const engine = scriptedEngine({ 'p-db-1': [{ health: 'starting' }, { health: 'starting' }, { health: 'healthy' }], 'p-db-2': [{ health: 'healthy' }] });
    await waitForCondition({ engine, service: 'db', condition: 'service_healthy', containers: ['p-db-1', 'p-db-2'], clock, pollIntervalMs: 50, onUpdate: (u) => updates.push(u) });
    expect(clock.slept).toEqual([50, 50]);
    expect(updates).toEqual([
      { container: 'p-db-1', state: 'waiting' },
      { container: 'p-db-2', state: 'waiting' },
      { container: 'p-db-2', state: 'done', action: 'Healthy' },
      { container: 'p-db-1', state: 'done', action: 'Healthy' },
    ]);
  });

  test('unhealthy fails naming the service, the container and the last health output', async () => {
    const engine = scriptedEngine({ 'p-db-1': [{ health: 'starting' }, { health: 'unhealthy', healthOutput: 'connection refused\n' }] });
    await expect(waitForCondition({ engine, service: 'db', condition: 'service_healthy', containers: ['p-db-1'], clock: fakeClock() })).rejects.toMatchObject({
      code: 'SERVICE_FAILED',
      message: 'container p-db-1 of service db is unhealthy; last health check output: connection refused',
    });
  });

  test('a container that exits while waiting for health fails with its exit code', async () => {
    const engine = scriptedEngine({ 'p-db-1': [{ state: 'exited', exitCode: 2 }] });
    await expect(waitForCondition({ engine, service: 'db', condition: 'service_healthy', containers: ['p-db-1'], clock: fakeClock() })).rejects.toThrow('exited with code 2 before it was healthy');
  });

  test('service_healthy on a container without healthcheck fails at once instead of hanging', async () => {
    const engine = scriptedEngine({ 'p-db-1': [{}] });
    await expect(waitForCondition({ engine, service: 'db', condition: 'service_healthy', containers: ['p-db-1'], clock: fakeClock() })).rejects.toThrow('has no healthcheck configured');
  });

  test('service_completed_successfully waits for exit 0 and fails with the exit code otherwise', async () => {
    const ok = scriptedEngine({ 'p-m-1': [{ state: 'running' }, { state: 'exited', exitCode: 0 }] });
    await expect(waitForCondition({ engine: ok, service: 'm', condition: 'service_completed_successfully', containers: ['p-m-1'], clock: fakeClock() })).resolves.toBeUndefined();
    const bad = scriptedEngine({ 'p-m-1': [{ state: 'exited', exitCode: 3 }] });
    await expect(waitForCondition({ engine: bad, service: 'm', condition: 'service_completed_successfully', containers: ['p-m-1'], clock: fakeClock() })).rejects.toThrow(
      'container p-m-1 of service m did not complete successfully: exit code 3',
    );
  });

  test('times out with the containers still pending', async () => {
    const engine = scriptedEngine({ 'p-db-1': [{ health: 'starting' }] });
    await expect(waitForCondition({ engine, service: 'db', condition: 'service_healthy', containers: ['p-db-1'], clock: fakeClock(), pollIntervalMs: 100, timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'timed out after 1s waiting for service db to be healthy: p-db-1 not ready',
    });
  });

  test('aborts when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    const engine = scriptedEngine({ 'p-db-1': [{ health: 'starting' }] });
    await expect(waitForCondition({ engine, service: 'db', condition: 'service_healthy', containers: ['p-db-1'], clock: fakeClock(), signal: controller.signal })).rejects.toThrow('stop now');
  });
});

describe('waitForReady (--wait)', () => {
  test('running without healthcheck is ready; with one it must be healthy', async () => {
    const engine = scriptedEngine({ 'p-a-1': [{}], 'p-b-1': [{ health: 'starting' }, { health: 'healthy' }] });
    await expect(waitForReady({ engine, containers: ['p-a-1', 'p-b-1'], clock: fakeClock() })).resolves.toBeUndefined();
  });

  test('a one-shot others wait on may exit 0; any other exit is a failure (compose#10596)', async () => {
    const engine = scriptedEngine({ 'p-init-1': [{ state: 'exited', exitCode: 0 }], 'p-app-1': [{ state: 'exited', exitCode: 0 }] });
    await expect(waitForReady({ engine, containers: ['p-init-1'], mayComplete: new Set(['init']), clock: fakeClock() })).resolves.toBeUndefined();
    await expect(waitForReady({ engine, containers: ['p-app-1'], mayComplete: new Set(['init']), clock: fakeClock() })).rejects.toThrow('exited with code 0');
  });
});

describe('judgeCondition', () => {
  test('a missing container is a failure', () => {
    expect(judgeCondition('db', 'service_started', undefined, 'p-db-1')).toEqual({ failed: 'container p-db-1 of service db does not exist' });
  });
});
