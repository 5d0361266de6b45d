// Helpers for the reconciler's integration tests (up, down, lifecycle): a project folder with a
// compose.yaml loaded by the real loader, a free host port, and short ways to read engine state.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { connectEngine } from '../../core/engine/connect.js';
import type { Engine, ObservedContainer } from '../../core/engine/engine.js';
import { RecordingSink } from '../../core/events.js';
import type { Project } from '../../core/model/types.js';
import { loadProject } from '../../core/project-loader.js';
import { TEST_IMAGE, cleanupProject, makeTempDir, uniqueProjectName, type TempDir } from './support/project.js';

export { TEST_IMAGE, eventually } from './support/project.js';

export interface TestProject {
  name: string;
  dir: string;
  engine: Engine;
  sink: RecordingSink;
  /** Loads `compose.yaml` from the folder with the real loader. */
  load(services?: string[]): Promise<Project>;
  /** Replaces `compose.yaml` and loads it. */
  write(yaml: string): Promise<Project>;
  containers(): Promise<ObservedContainer[]>;
  /** Container of `service` number `n` (default 1), inspected. */
  container(service: string, n?: number): Promise<ObservedContainer | undefined>;
  /** Stops and removes everything labelled with the project, and the folder. */
  cleanup(): Promise<void>;
}

export async function testProject(prefix: string, files: Record<string, string> = {}): Promise<TestProject> {
  const name = uniqueProjectName(prefix);
  const temp: TempDir = await makeTempDir(files);
  const engine = connectEngine();
  const sink = new RecordingSink();
  const self: TestProject = {
    name,
    dir: temp.dir,
    engine,
    sink,
    async load(services = []) {
      const { project } = await loadProject({ files: [], cwd: temp.dir, projectName: name, envFiles: [], environment: {}, interpolate: true, profiles: [], services });
      return project;
    },
    async write(yaml) {
      await writeFile(join(temp.dir, 'compose.yaml'), yaml);
      return self.load();
    },
    async containers() {
      const list = await engine.listContainers({ labels: [`com.docker.compose.project=${name}`], all: true });
      return list.sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    async container(service, n = 1) {
      return engine.inspectContainer(`${name}-${service}-${n}`);
    },
    async cleanup() {
      try {
        await cleanupProject(engine, name);
      } finally {
        await temp.remove();
      }
    },
  };
  return self;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GET http://127.0.0.1:<port><path> -> status and body. */
export async function httpGet(port: number, path = '/'): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
  return { status: response.status, body: await response.text() };
}

/** `name -> id` of the project's containers. */
export async function idsByName(project: TestProject): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of await project.containers()) out[c.name] = c.id;
  return out;
}

/** Output of a command run in a container. */
export async function execIn(engine: Engine, container: string, command: string[]): Promise<string> {
  const result = await engine.exec(container, { command, tty: false, interactive: false });
  if (result.exitCode !== 0) throw new Error(`${command.join(' ')} in ${container} exited with ${result.exitCode}: ${result.output}`);
  return result.output;
}

/** `init: true` and a 1 s stop grace period, as service keys: busybox containers that stop at once. */
export const FAST_STOP = `    init: true
    stop_grace_period: 1s`;

/**
 * For a test file: a function making a test project, each removed after its test (also when the
 * test fails). Registers the afterEach hook of the file or describe it is called in.
 */
export function cleanedUpProjects(): (prefix: string, files?: Record<string, string>) => Promise<TestProject> {
  let current: TestProject | undefined;
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return async (prefix, files = {}) => (current = await testProject(prefix, files));
}

/**
 * Service keys (image, fast stop, command, healthcheck) of a `db` that turns healthy after 1 s:
 * what tests of depends_on `service_healthy` wait for.
 */
export const HEALTHY_AFTER_1S = `    image: ${TEST_IMAGE}
${FAST_STOP}
    command: ["sh", "-c", "sleep 1; touch /ready; exec sleep 3600"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30`;
