import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../core/errors.js';
import { schemaProblems, validateSchema } from '../../../core/validate/schema.js';
import { BIG_SPEC } from './big-spec.js';
import { lines, problemsOf, specFromYaml } from './support.js';

function problems(yaml: string) {
  return problemsOf(() => validateSchema(specFromYaml(yaml)));
}

/** The single problem of a spec with exactly one mistake. */
function only(yaml: string) {
  const found = problems(yaml);
  expect(lines(found)).toHaveLength(1);
  return found[0]!;
}

describe('validateSchema: valid specs', () => {
  it('accepts a realistic spec touching most keys', () => {
    expect(schemaProblems(specFromYaml(BIG_SPEC))).toEqual([]);
  });

  it('accepts a minimal spec, empty top-level sections and x- extensions everywhere', () => {
    const spec = specFromYaml(`
      x-defaults: {a: 1}
      services:
        web:
          image: nginx
          x-note: hi
      networks:
        default:
      volumes:
      secrets: {}
    `);
    expect(() => validateSchema(spec)).not.toThrow();
  });

  it('accepts numeric and boolean strings where interpolation produces them', () => {
    const spec = specFromYaml(`
      services:
        web:
          image: nginx
          scale: "2"
          cpus: "0.5"
          init: "true"
          read_only: "False"
          mem_limit: "512m"
          oom_score_adj: "-100"
          ports:
            - target: "80"
              published: "8080"
          deploy:
            replicas: "3"
            resources:
              limits: {cpus: "1.5", memory: "1g", pids: "50"}
          healthcheck:
            retries: "5"
          ulimits:
            nofile: {soft: "1024", hard: "2048"}
    `);
    expect(schemaProblems(spec)).toEqual([]);
  });

  it('accepts the legacy v1 service keys the loader keeps (net, dockerfile)', () => {
    expect(schemaProblems(specFromYaml(`
      services:
        web: {build: ., dockerfile: Dockerfile.old, net: host, cpu_shares: 73, mem_limit: 1000000000}
    `))).toEqual([]);
  });
});

describe('validateSchema: problems in user words, at the right place', () => {
  it('points an unknown key at the key and suggests the closest valid one', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          enviroment:
            A: "1"
    `);
    expect(lines([problem])).toEqual(['compose.yaml:4:5: services.web.enviroment: unknown key "enviroment"']);
    expect(problem.hint).toBe('did you mean "environment"?');
    expect(problem.frame).toContain('> 4 |     enviroment:');
  });

  it('suggests keys written with dashes or swapped letters', () => {
    expect(only('services: {web: {image: x, depends-on: [db]}, db: {image: y}}').hint).toBe('did you mean "depends_on"?');
    expect(only('services: {web: {image: x, evnironment: {}}}').hint).toBe('did you mean "environment"?');
  });

  it('lists the allowed keys when nothing is close', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          healthcheck:
            command: [CMD, "true"]
    `);
    expect(problem.message).toBe('unknown key "command"');
    expect(problem.hint).toBe('allowed keys: test, interval, timeout, retries, start_period, start_interval, disable; custom keys must start with "x-"');
  });

  it('lists a few near keys of a large mapping, and points at extensions', () => {
    const problem = only('services: {web: {image: x, zzzzzzzzzz: 1}}');
    expect(problem.hint).toMatch(/^allowed keys include .+ \(\d+ in all\); custom keys must start with "x-"$/);
  });

  it('knows common mistakes that are not typos', () => {
    const problem = only('services: {web: {image: x, replicas: 2}}');
    expect(problem.hint).toBe('did you mean deploy.replicas (or scale)?');
  });

  it('explains a port mapping string with the expected syntax', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          ports:
            - "80:80:80"
    `);
    expect(lines([problem])).toEqual([
      'compose.yaml:5:9: services.web.ports[0]: "80:80:80" is not a port mapping (expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL])',
    ]);
    expect(problem.hint).toContain('"8080:80"');
  });

  it('explains a volume short syntax', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          volumes: ["./data:data"]
    `);
    expect(lines([problem])).toEqual([
      'compose.yaml:4:15: services.web.volumes[0]: "./data:data" is not a volume mapping (expected [SOURCE:]TARGET[:MODE], TARGET an absolute path in the container)',
    ]);
  });

  it('explains durations, and says that a bare number is not one', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          stop_grace_period: 10
          healthcheck:
            interval: 1m30
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:4:24: services.web.stop_grace_period: must be a duration, not a number (10)',
      'compose.yaml:6:17: services.web.healthcheck.interval: "1m30" is not a duration (expected e.g. 10s, 1m30s or 500ms)',
    ]);
    expect(found[0]?.hint).toContain('write "10s" rather than "10"');
  });

  it('explains byte sizes', () => {
    const problem = only('services: {web: {image: x, shm_size: 64 megs}}');
    expect(problem.message).toBe('"64 megs" is not a size (expected a number of bytes or e.g. 512m, 1g, 1.5GB)');
  });

  it('explains restart policies and depends_on conditions with the allowed values', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          restart: sometimes
          depends_on:
            db:
              condition: service_ready
        db:
          image: postgres
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:4:14: services.web.restart: "sometimes" is not a restart policy (expected no, always, on-failure[:MAX_RETRIES] or unless-stopped)',
      'compose.yaml:7:20: services.web.depends_on.db.condition: "service_ready" is not a valid condition (expected one of: service_started, service_healthy, service_completed_successfully)',
    ]);
  });

  it('rejects strings that are not numbers or booleans where interpolated values may be strings', () => {
    const found = problems(`
      services:
        web:
          image: nginx
          deploy:
            replicas: three
          init: maybe
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:5:17: services.web.deploy.replicas: "three" is not a whole number (expected digits, e.g. 3)',
      'compose.yaml:6:11: services.web.init: "maybe" is not true or false',
    ]);
  });

  it('names a wrong type in user words', () => {
    const found = problems(`
      services:
        web:
          image: [nginx]
          labels: 5
          privileged: 1
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:3:12: services.web.image: must be a string, not a list',
      'compose.yaml:4:13: services.web.labels: must be a mapping or a list of strings, not a number (5)',
      'compose.yaml:5:17: services.web.privileged: must be true or false, not a number (1)',
    ]);
  });

  it('explains a file that is not a mapping, and restart: false', () => {
    expect(only('- web').hint).toBe('a Compose file is a mapping of top-level keys: services, networks, volumes, ...');
    const problem = only('services: {web: {image: x, restart: false}}');
    expect(problem.message).toBe('must be a restart policy, not false');
    expect(problem.hint).toBe('to never restart, write restart: "no"');
  });

  it('suggests writing a list when a single string was given for one', () => {
    const problem = only('services: {web: {image: x, cap_add: NET_ADMIN}}');
    expect(problem.message).toBe('must be a list of strings, not a string ("NET_ADMIN")');
    expect(problem.hint).toBe('write it as a list: one "- NET_ADMIN" item per line, or ["NET_ADMIN"]');
  });

  it('points an empty service at its key', () => {
    const problem = only(`
      services:
        web:
    `);
    expect(lines([problem])).toEqual(['compose.yaml:2:3: services.web: must be a mapping, but it is empty']);
    expect(problem.hint).toBe('the key has no value: give it one or remove the key');
  });

  it('reports a missing required key at the object, with what the key is for', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          volumes:
            - type: bind
              source: ./data
    `);
    expect(lines([problem])).toEqual(['compose.yaml:5:9: services.web.volumes[0]: missing required key "target"']);
    expect(problem.hint).toBe('target: absolute path in the container.');
  });

  it('checks the protocol of the long port syntax, in any case', () => {
    expect(schemaProblems(specFromYaml('services: {web: {image: x, ports: [{target: 80, protocol: UDP}]}}'))).toEqual([]);
    const problem = only('services: {web: {image: x, ports: [{target: 80, protocol: http}]}}');
    expect(problem.message).toBe('"http" is not a protocol (expected tcp, udp or sctp)');
  });

  it('reports ranges of numbers', () => {
    const found = problems('services: {web: {image: x, mem_swappiness: 150, ports: [{target: 70000}]}}');
    expect(found.map((p) => p.message)).toEqual(['150 is too large (at most 100)', '70000 is too large (at most 65535)']);
  });

  it('reports a duplicate list entry at the second one', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          cap_add: [NET_ADMIN, SYS_TIME, NET_ADMIN]
    `);
    expect(lines([problem])).toEqual([
      'compose.yaml:4:36: services.web.cap_add[2]: duplicate entry "NET_ADMIN" (already listed at services.web.cap_add[0])',
    ]);
  });

  it('rejects invalid service and project names', () => {
    const found = problems(`
      name: My App
      services:
        my web:
          image: nginx
    `);
    expect(lines(found)).toEqual([
      'compose.yaml:1:7: name: "My App" is not a project name (expected lowercase letters, digits, "-" and "_", starting with a letter or digit)',
      'compose.yaml:3:3: services.my web: "my web" is not a valid service name',
    ]);
  });

  it('finds the place of keys that contain "/" and "~" (JSON pointer escapes)', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          labels:
            com.example/a~b: [1]
    `);
    expect(lines([problem])).toEqual([
      'compose.yaml:5:24: services.web.labels.com.example/a~b: must be a string, a number or a boolean, not a list',
    ]);
  });

  it('rejects unknown top-level keys, listing the allowed ones', () => {
    const problem = only(`
      services: {web: {image: x}}
      service-defaults: {}
    `);
    expect(problem.message).toBe('unknown key "service-defaults"');
    expect(problem.hint).toBe('allowed keys: version, name, include, services, networks, volumes, secrets, configs; custom keys must start with "x-"');
  });
});

describe('validateSchema: oneOf noise is collapsed', () => {
  it('combines the branches into "a string or a list of strings" when none matches the type', () => {
    const problem = only('services: {web: {image: x, command: 42}}');
    expect(problem.message).toBe('must be a string or a list of strings, not a number (42)');
  });

  it('reports the branch that got deepest: an item inside the list form', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          command: ["run", 5]
    `);
    expect(lines([problem])).toEqual(['compose.yaml:4:22: services.web.command[1]: must be a string, not a number (5)']);
  });

  it('reports the branch that matched the type: an unknown key in the long port syntax', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          ports:
            - target: 80
              publshed: 8080
    `);
    expect(lines([problem])).toEqual(['compose.yaml:6:9: services.web.ports[0].publshed: unknown key "publshed"']);
    expect(problem.hint).toBe('did you mean "published"?');
  });

  it('goes through nested oneOfs (build long form -> args mapping)', () => {
    const problem = only(`
      services:
        web:
          build:
            context: .
            args:
              VERSION: [1, 2]
    `);
    expect(lines([problem])).toEqual([
      'compose.yaml:6:18: services.web.build.args.VERSION: must be a string, a number or a boolean, not a list',
    ]);
  });

  it('reports the map form of depends_on when its entries are wrong', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          depends_on:
            db:
              condtion: service_healthy
        db: {image: postgres}
    `);
    expect(problem.message).toBe('unknown key "condtion"');
    expect(problem.hint).toBe('did you mean "condition"?');
  });
});

describe('validateSchema: everything at once', () => {
  it('throws one SpecError listing all problems of the spec in file order', () => {
    const spec = specFromYaml(`
      services:
        web:
          image: nginx
          ports: ["80:80:80"]
          restart: sometimes
        api:
          imag: api
          command: 1
      volumes:
        data: {driver: 5}
    `);
    let thrown: unknown;
    try {
      validateSchema(spec);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    const error = thrown as SpecError;
    expect(error.code).toBe('SPEC_INVALID');
    expect(lines(error.problems).map((line) => line.split(': ').slice(0, 2).join(': '))).toEqual([
      'compose.yaml:4:13: services.web.ports[0]',
      'compose.yaml:5:14: services.web.restart',
      'compose.yaml:7:5: services.api.imag',
      'compose.yaml:8:14: services.api.command',
      'compose.yaml:10:18: volumes.data.driver',
    ]);
    expect(error.message.split('\n')).toHaveLength(5);
    expect(error.hint).toBe(error.problems[0]?.hint);
  });

  it('attaches a code frame to each problem', () => {
    const problem = only(`
      services:
        web:
          image: nginx
          restart: sometimes
    `);
    expect(problem.frame).toBe(
      [
        '  2 |   web:',
        '  3 |     image: nginx',
        '> 4 |     restart: sometimes',
        '    |              ^^^^^^^^^',
      ].join('\n'),
    );
  });
});
