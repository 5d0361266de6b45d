// What the engine-level integration tests (engine.test.ts, engine-transport.test.ts) share: a
// busybox container body for a command, collecting an async iterable, and a project name per
// test that is cleaned up after it, also when it fails.
import { afterEach, beforeEach } from 'vitest';
import type { ContainerSpec, Engine } from '../../../core/engine/engine.js';
import { PROJECT_LABEL, TEST_IMAGE, cleanupProject, uniqueProjectName } from './project.js';

/** A container of `project` running `sh -c command` in the test image, quick to stop. */
export function containerSpec(project: string, name: string, command: string, extra: Partial<ContainerSpec['body']> = {}): ContainerSpec {
  return {
    name: `${project}-${name}`,
    body: {
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', command],
      Labels: { [PROJECT_LABEL]: project, 'com.docker.compose.service': name },
      // busybox sh as PID 1 ignores SIGTERM; an init makes stop quick.
      HostConfig: { Init: true },
      StopTimeout: 1,
      ...extra,
    },
    extraNetworks: {},
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * Registers hooks giving each test of the enclosing describe its own project name (passed to
 * `use` before the test) and removing what the test made under it afterwards.
 */
export function projectPerTest(engine: Engine, use: (name: string) => void): void {
  let name = '';
  beforeEach((context) => {
    name = uniqueProjectName(context.task.name.slice(0, 16));
    use(name);
  });
  afterEach(async () => {
    await cleanupProject(engine, name);
  });
}
