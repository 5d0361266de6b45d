// `top [service...]`: the processes of each running container of the project.
import type { Engine, ObservedContainer } from '../engine/engine.js';
import { isOneOff, LABEL_SERVICE, projectFilter } from '../observe/labels.js';

export interface TopOptions {
  projectName: string;
  services?: string[];
}

export interface ContainerProcesses {
  container: ObservedContainer;
  titles: string[];
  processes: string[][];
}

export async function top(engine: Pick<Engine, 'listContainers' | 'topContainer'>, options: TopOptions): Promise<ContainerProcesses[]> {
  const services = options.services ?? [];
  const containers = (await engine.listContainers({ labels: projectFilter(options.projectName), all: false }))
    .filter((c) => c.state === 'running' && !isOneOff(c.labels))
    .filter((c) => services.length === 0 || services.includes(c.labels[LABEL_SERVICE] ?? ''))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Promise.all(containers.map(async (container) => ({ container, ...(await engine.topContainer(container.id)) })));
}
