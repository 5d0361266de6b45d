// An engine container as a list call reports it, for unit tests of code that reads the engine's
// state: what a test gives, and the rest empty (no ports, networks or mounts).
import type { ObservedContainer } from '../../../core/engine/engine.js';

export function observedContainer(fields: Partial<ObservedContainer> & Pick<ObservedContainer, 'name'>): ObservedContainer {
  return { id: `id-${fields.name}`, image: 'img', imageId: '', labels: {}, state: 'running', status: '', created: 0, command: '', ports: [], networks: [], mounts: [], ...fields };
}

/** Compose's labels of replica `number` of `service` in `project`. */
export function replicaLabels(project: string, service: string, number = 1, oneoff = false): Record<string, string> {
  return {
    'com.docker.compose.project': project,
    'com.docker.compose.service': service,
    'com.docker.compose.container-number': String(number),
    'com.docker.compose.oneoff': oneoff ? 'True' : 'False',
  };
}
