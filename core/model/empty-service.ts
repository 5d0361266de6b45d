// A Service with every collection empty and every optional field absent: what an empty
// `services: { name: {} }` means before rules fill it in. One definition, so the builder and every
// hand-built model (tests, one-off runs) agree on the defaults.
import type { Service } from './types.js';

export function emptyService(name: string): Service {
  return {
    name,
    environment: {},
    labels: {},
    ports: [],
    expose: [],
    networks: {},
    links: [],
    external_links: [],
    dns: [],
    dns_search: [],
    dns_opt: [],
    extra_hosts: [],
    volumes: [],
    volumes_from: [],
    tmpfs: [],
    depends_on: {},
    scale: 1,
    profiles: [],
    cap_add: [],
    cap_drop: [],
    devices: [],
    group_add: [],
    security_opt: [],
    ulimits: {},
    sysctls: {},
    secrets: [],
    configs: [],
    extensions: {},
  };
}
