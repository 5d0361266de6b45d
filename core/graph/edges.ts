// Every way one service can need another: depends_on, links, volumes_from, and the
// `service:x` namespaces of network_mode/ipc/pid. Each edge keeps the key path that wrote it.
import type { KeyPath } from '../errors.js';
import type { SourceMap } from '../load/source-map.js';
import type { DependsOnCondition, Service } from '../model/types.js';

export type EdgeKind = 'depends_on' | 'links' | 'volumes_from' | 'network_mode' | 'ipc' | 'pid';

export interface GraphEdge {
  /** The dependent service. */
  from: string;
  /** The service it needs. */
  to: string;
  kind: EdgeKind;
  condition: DependsOnCondition;
  /** false: a missing dependency is dropped (depends_on `required: false`). */
  required: boolean;
  /** Restart `from` when `to` is recreated. */
  restart: boolean;
  /** Where the reference was written (for positioned errors). */
  path: KeyPath;
}

/**
 * `sources`, when given, lets depends_on edges point at the list entry (`depends_on[1]`) when
 * the list form was written: the model keeps list order, so the key index is the list index.
 */
export function serviceEdges(service: Service, sources?: SourceMap): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const base = ['services', service.name] as const;
  const plain = (to: string, kind: EdgeKind, path: KeyPath): GraphEdge => ({
    from: service.name,
    to,
    kind,
    condition: 'service_started',
    required: true,
    restart: false,
    path,
  });
  Object.entries(service.depends_on).forEach(([to, dep], index) => {
    const written = (): KeyPath => {
      const path: KeyPath = [...base, 'depends_on', to];
      return sources && !sources.entry(path) && sources.entry([...base, 'depends_on', index]) ? [...base, 'depends_on', index] : path;
    };
    // Looked up when read (an error to report): a cached spec's positions are decoded on first use.
    const edge = { ...plain(to, 'depends_on', []), condition: dep.condition, required: dep.required, restart: dep.restart };
    edges.push(Object.defineProperty(edge, 'path', { get: written, enumerable: true }));
  });
  service.links.forEach((link, index) => {
    const to = link.split(':')[0] ?? link;
    edges.push(plain(to, 'links', [...base, 'links', index]));
  });
  service.volumes_from.forEach((entry, index) => {
    if (entry.startsWith('container:')) return;
    const to = entry.split(':')[0] ?? entry;
    edges.push(plain(to, 'volumes_from', [...base, 'volumes_from', index]));
  });
  for (const kind of ['network_mode', 'ipc', 'pid'] as const) {
    const value = service[kind];
    if (value?.startsWith('service:')) edges.push(plain(value.slice('service:'.length), kind, [...base, kind]));
  }
  return edges;
}
