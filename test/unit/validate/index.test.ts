import { describe, expect, it } from 'vitest';
import { SpecError, describeProblem } from '../../../core/errors.js';
import { validateSpec } from '../../../core/validate/index.js';
import { BIG_SPEC } from './big-spec.js';
import { lines, problemsOf, specFromYaml } from './support.js';

describe('validateSpec', () => {
  it('passes a valid spec', () => {
    expect(() => validateSpec(specFromYaml(BIG_SPEC))).not.toThrow();
  });

  it('reports schema and consistency problems together, in file order', () => {
    const found = problemsOf(() =>
      validateSpec(
        specFromYaml(`
          services:
            web:
              image: nginx
              depends_on: [db]
              ports: ["80:80:80"]
            api:
              restart: sometimes
        `),
      ),
    );
    expect(lines(found)).toEqual([
      'compose.yaml:4:18: services.web.depends_on[0]: service "db" is not defined',
      'compose.yaml:5:13: services.web.ports[0]: "80:80:80" is not a port mapping (expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL])',
      'compose.yaml:6:3: services.api: service "api" has neither an image nor a build',
      'compose.yaml:7:14: services.api.restart: "sometimes" is not a restart policy (expected no, always, on-failure[:MAX_RETRIES] or unless-stopped)',
    ]);
  });

  it('throws a SpecError whose message is the problems as users read them', () => {
    let thrown: unknown;
    try {
      validateSpec(specFromYaml('services: {web: {image: nginx, imagee: x}}'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    const error = thrown as SpecError;
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toBe(error.problems.map(describeProblem).join('\n'));
    expect(error.message).toBe('compose.yaml:1:32: services.web.imagee: unknown key "imagee"');
    expect(error.hint).toBe('did you mean "image"?');
  });

  it('accepts ${VAR} in checked values of a spec loaded with --no-interpolate, and nothing else', () => {
    const spec = specFromYaml(`
      services:
        web:
          image: nginx
          scale: \${SCALE}
          init: $USE_INIT
          ports: ["\${PORT:-8080}:80"]
          healthcheck: {interval: "\${INTERVAL}"}
          restart: sometimes
    `);
    expect(lines(problemsOf(() => validateSpec(spec, { interpolated: false })))).toEqual([
      'compose.yaml:8:14: services.web.restart: "sometimes" is not a restart policy (expected no, always, on-failure[:MAX_RETRIES] or unless-stopped)',
    ]);
    expect(lines(problemsOf(() => validateSpec(spec)))).toHaveLength(5);
  });

  it('positions problems in the file that wrote the key when files were merged', () => {
    const base = specFromYaml('services:\n  web:\n    image: nginx\n', 'compose.yaml');
    const override = specFromYaml('services:\n  web:\n    ports: ["x"]\n', 'compose.override.yaml');
    base.sources.mergeFrom(override.sources);
    base.data = { services: { web: { image: 'nginx', ports: ['x'] } } };
    expect(lines(problemsOf(() => validateSpec(base)))).toEqual([
      'compose.override.yaml:3:13: services.web.ports[0]: "x" is not a port mapping (expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL])',
    ]);
  });
});
