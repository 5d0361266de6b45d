// `ls`: every project on the engine, from container labels alone (one list call).
import type { Engine } from '../engine/engine.js';
import { LABEL_CONFIG_FILES, LABEL_PROJECT } from '../observe/labels.js';

export interface LsOptions {
  /** Projects whose containers are all stopped too (`-a`). */
  all?: boolean;
}

export interface ProjectSummary {
  name: string;
  /** `exited(1), running(2)`: container count per state, states sorted, as Compose prints it. */
  status: string;
  /** The spec files of the project, comma-separated, as recorded on its containers. */
  configFiles: string;
}

export async function ls(engine: Pick<Engine, 'listContainers'>, options: LsOptions = {}): Promise<ProjectSummary[]> {
  const containers = await engine.listContainers({ labels: [LABEL_PROJECT], all: options.all === true });
  const projects = new Map<string, { states: Map<string, number>; configFiles: string }>();
  for (const c of containers) {
    const name = c.labels[LABEL_PROJECT];
    if (!name) continue;
    const entry = projects.get(name) ?? { states: new Map<string, number>(), configFiles: '' };
    entry.states.set(c.state, (entry.states.get(c.state) ?? 0) + 1);
    entry.configFiles ||= c.labels[LABEL_CONFIG_FILES] ?? '';
    projects.set(name, entry);
  }
  return [...projects.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entry]) => ({
      name,
      status: [...entry.states.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([state, count]) => `${state}(${count})`)
        .join(', '),
      configFiles: entry.configFiles,
    }));
}
