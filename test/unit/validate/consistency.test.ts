import { describe, expect, it } from 'vitest';
import { consistencyProblems, validateConsistency } from '../../../core/validate/consistency.js';
import { BIG_SPEC } from './big-spec.js';
import { lines, problemsOf, specFromYaml } from './support.js';

function problems(yaml: string) {
  return problemsOf(() => validateConsistency(specFromYaml(yaml)));
}

function only(yaml: string) {
  const found = problems(yaml);
  expect(lines(found)).toHaveLength(1);
  return found[0]!;
}

describe('validateConsistency', () => {
  it('accepts the realistic spec', () => {
    expect(consistencyProblems(specFromYaml(BIG_SPEC))).toEqual([]);
  });

  it('requires an image or a build, pointing at the service key', () => {
    const problem = only(`
      services:
        web:
          command: ["sleep", "1"]
    `);
    expect(lines([problem])).toEqual(['compose.yaml:2:3: services.web: service "web" has neither an image nor a build']);
    expect(problem.hint).toBe('add "image: <name>" to run an existing image, or "build: <directory>" to build one from a Dockerfile');
  });

  it('names both services when depends_on (list form) refers to an undefined one, suggesting the closest', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          depends_on: [apii]
        api:
          image: api
    `);
    expect(lines([problem])).toEqual(['compose.yaml:4:18: services.web.depends_on[0]: service "apii" is not defined']);
    expect(problem.hint).toBe('did you mean "api"?');
  });

  it('points the map form of depends_on at the key, and skips required: false', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          depends_on:
            db:
              condition: service_healthy
            cache:
              required: false
    `);
    expect(lines(found)).toEqual(['compose.yaml:5:7: services.web.depends_on.db: service "db" is not defined']);
    expect(found[0]?.hint).toBe('defined: web');
  });

  it('checks links, volumes_from and service: namespaces', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          links: ["db:database"]
          volumes_from: [data, "container:other", "cache:ro"]
          network_mode: service:vpn
          ipc: service:web
          pid: service:tracer
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:4:13: services.web.links[0]: service "db" is not defined',
      'compose.yaml:5:20: services.web.volumes_from[0]: service "data" is not defined',
      'compose.yaml:5:45: services.web.volumes_from[2]: service "cache" is not defined',
      'compose.yaml:6:19: services.web.network_mode: service "vpn" is not defined',
      'compose.yaml:8:10: services.web.pid: service "tracer" is not defined',
    ]);
    expect(found[3]?.hint).toBe('network_mode: service:NAME must name a service of this project; use container:NAME for other containers');
  });

  it('requires service networks to be declared at the top level (default is implicit)', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          networks: [default, frontend, back]
        api:
          image: api
          networks:
            backend:
              aliases: [api]
      networks:
        front:
        backend:
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:4:25: services.web.networks[1]: network "frontend" is not defined',
      'compose.yaml:4:35: services.web.networks[2]: network "back" is not defined',
    ]);
    expect(found[0]?.hint).toBe('did you mean "front"?');
    expect(found[1]?.hint).toBe('did you mean "backend"?');
  });

  it('requires named volumes to be declared, and hints at ./ for a directory', () => {
    const found = problems(`
      services:
        db:
          image: postgres
          volumes:
            - data:/var/lib/postgresql/data
            - ./init:/docker-entrypoint-initdb.d:ro
            - /srv/backup:/backup
            - /anonymous
            - type: volume
              source: logs
              target: /logs
            - type: volume
              target: /anonymous2
      volumes:
        log:
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:5:9: services.db.volumes[0]: volume "data" is not defined',
      'compose.yaml:10:17: services.db.volumes[4].source: volume "logs" is not defined',
    ]);
    expect(found[0]?.hint).toBe('declare it under the top-level "volumes:" key, or write "./data" to mount a directory next to the spec file');
    expect(found[1]?.hint).toBe('did you mean "log"?');
  });

  it('requires secrets and configs (service and build) to be declared', () => {
    const found = problems(`
      services:
        web:
          build:
            context: .
            secrets: [npm]
          secrets:
            - db_pass
            - source: api_key
          configs: [nginx]
      secrets:
        db_password: {file: ./pw}
        api_key: {environment: KEY}
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:5:17: services.web.build.secrets[0]: secret "npm" is not defined',
      'compose.yaml:7:9: services.web.secrets[0]: secret "db_pass" is not defined',
      'compose.yaml:9:15: services.web.configs[0]: config "nginx" is not defined',
    ]);
    expect(found[1]?.hint).toBe('did you mean "db_password"?');
    expect(found[2]?.hint).toBe('declare it under the top-level "configs:" key');
  });

  it('rejects container_name with more than one replica, from scale or deploy.replicas', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          container_name: web
          scale: "2"
        api:
          image: api
          container_name: api
          deploy: {replicas: 3}
        one:
          image: one
          container_name: one
          scale: 1
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:4:21: services.web.container_name: container_name "web" cannot be used with 2 replicas',
      'compose.yaml:8:21: services.api.container_name: container_name "api" cannot be used with 3 replicas',
    ]);
  });

  it('rejects scale and deploy.replicas that disagree', () => {
    const problem = only('services: {web: {image: x, scale: 2, deploy: {replicas: 3}}}');
    expect(problem.message).toBe('scale (2) and deploy.replicas (3) disagree');
  });

  it('rejects network_mode together with networks', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          network_mode: host
          networks: [default]
    `);
    expect(lines([problem])).toEqual(['compose.yaml:5:5: services.web.networks: "networks" cannot be used together with "network_mode: host"']);
  });

  it('rejects a host port published twice, naming both services', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          ports: ["8080:80", "127.0.0.1:9000:9000", "53:53/udp"]
        api:
          image: api
          ports:
            - "8080:3000"
            - target: 9000
              published: 9000
            - "53:53/tcp"
            - "127.0.0.1:9000:9001"
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:8:9: services.api.ports[0]: host port 8080/tcp is already published by service "web" (services.web.ports[0])',
      'compose.yaml:12:9: services.api.ports[3]: host port 127.0.0.1:9000/tcp is already published by service "web" (services.web.ports[1])',
    ]);
    expect(found[0]?.hint).toBe('only one container can listen on a host port: change one of the two host ports');
  });

  it('detects overlapping fixed ranges and duplicates within one service, but not pools or random ports', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          ports: ["8000-8010:8000-8010", "8005:80", "80", "9000-9010:80", "9005:80"]
        api:
          image: api
          ports: [80, "9000-9010:80"]
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:4:36: services.web.ports[1]: host port 8005/tcp is already published by this service (services.web.ports[0])',
    ]);
  });

  it('lets services in disjoint profiles publish the same port', () => {
    expect(consistencyProblems(specFromYaml(`
      services:
        web: {image: web, ports: ["80:80"], profiles: [prod]}
        web-dev: {image: web, ports: ["80:80"], profiles: [dev]}
    `))).toEqual([]);
    expect(lines(consistencyProblems(specFromYaml(`
      services:
        web: {image: web, ports: ["80:80"]}
        web-dev: {image: web, ports: ["80:80"], profiles: [dev]}
    `)))).toHaveLength(1);
  });

  it('skips shapes the schema rejects instead of failing on them', () => {
    expect(consistencyProblems(specFromYaml(`
      services:
        web:
          image: nginx
          depends_on: 5
          networks: {default: 1}
          volumes: [5, "no good"]
          ports: [{published: true}, "80:80:80"]
          secrets: [{}]
        broken: 7
        empty:
      networks: [a]
    `)).map((p) => p.message)).toEqual([]);
  });
});
