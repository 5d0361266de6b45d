// Shared by the tests of the label-only verbs (ps, logs, exec, run, port, ls, wait...): a CLI
// project (cli-support.ts) that can be brought up through core `up`, and containers made by hand
// with Docker Compose v2's labels only (no dev.stack.* label), as `docker compose up` leaves them.
import type { ContainerSpec, Engine } from '../../core/engine/engine.js';
import { up } from '../../core/ops/up.js';
import { loadProject } from '../../core/project-loader.js';
import { cliProject, type CliProject } from './cli-support.js';
import { TEST_IMAGE } from './support/project.js';

export { buildCli, killIfRunning } from './cli-support.js';
export { eventually, TEST_IMAGE } from './support/project.js';

export interface VerbProject extends CliProject {
  /** `up -d` through core ops, on the folder's compose.yaml. */
  up(services?: string[]): Promise<void>;
}

export async function verbProject(prefix: string, yaml: string, extra: Record<string, string> = {}): Promise<VerbProject> {
  const base = await cliProject(prefix, { 'compose.yaml': yaml, ...extra });
  return {
    ...base,
    async up(services = []) {
      const { project } = await loadProject({ files: [], cwd: base.dir, projectName: base.name, envFiles: [], environment: {}, interpolate: true, profiles: [], services: [] });
      await up({ engine: base.engine, project, services });
    },
  };
}

/** A busybox service that stops at once on SIGTERM. */
export function service(command: string, extra = ''): string {
  return `    image: ${TEST_IMAGE}\n    init: true\n    stop_grace_period: 1s\n    command: ["sh", "-c", ${JSON.stringify(command)}]\n${extra}`;
}

/** Labels exactly as Docker Compose v2.40 writes them on a service container. */
export function composeLabels(project: string, serviceName: string, number: number, dir: string): Record<string, string> {
  return {
    'com.docker.compose.project': project,
    'com.docker.compose.service': serviceName,
    'com.docker.compose.container-number': String(number),
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.config-hash': 'f'.repeat(64),
    'com.docker.compose.project.working_dir': dir,
    'com.docker.compose.project.config_files': `${dir}/compose.yaml`,
    'com.docker.compose.depends_on': '',
    'com.docker.compose.image': 'sha256:' + '0'.repeat(64),
    'com.docker.compose.version': '2.40.3',
  };
}

/** Creates and starts `<project>-<service>-<n>` running `command`, labelled like Compose v2. */
export async function startComposeContainer(engine: Engine, project: string, serviceName: string, number: number, command: string, dir = '/srv/app'): Promise<string> {
  const spec: ContainerSpec = {
    name: `${project}-${serviceName}-${number}`,
    body: {
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', command],
      Labels: composeLabels(project, serviceName, number, dir),
      HostConfig: { Init: true },
      StopTimeout: 1,
      AttachStdout: true,
      AttachStderr: true,
    },
    extraNetworks: {},
  };
  const id = await engine.createContainer(spec);
  await engine.startContainer(id);
  return id;
}
