import { describe, expect, it } from 'vitest';
import { imageNames } from '../../../core/model/serialize.js';
import { build, buildChecked, serviceOf, WORKDIR } from './support.js';

describe('build', () => {
  it('string -> absolute context and default dockerfile', () => {
    const project = buildChecked(`services:\n  web:\n    build: ./app\n`);
    expect(serviceOf(project).build).toEqual({
      context: `${WORKDIR}/app`,
      dockerfile: 'Dockerfile',
      args: {},
      labels: {},
      cache_from: [],
      extra_hosts: [],
      tags: [],
    });
  });

  it('long form: args list -> map, unset arg looks up or stays null', () => {
    const project = buildChecked(
      `
services:
  web:
    build:
      context: .
      dockerfile: docker/Dockerfile.dev
      target: dev
      args:
        - VERSION=1.2
        - TOKEN
        - MISSING
      labels: { team: core }
      cache_from: ["type=local,src=/tmp/cache"]
      shm_size: 1g
      extra_hosts: ["db=10.0.0.1"]
      tags: [me/web:dev]
      platforms: [linux/amd64]
      network: host
      no_cache: true
      pull: false
      ssh: [default]
      additional_contexts:
        shared: ../shared
        base: docker-image://alpine:3
`,
      { environment: { TOKEN: 't' } },
    );
    expect(serviceOf(project).build).toEqual({
      context: WORKDIR,
      dockerfile: 'docker/Dockerfile.dev',
      target: 'dev',
      args: { VERSION: '1.2', TOKEN: 't', MISSING: null },
      labels: { team: 'core' },
      cache_from: ['type=local,src=/tmp/cache'],
      shm_size: 1024 ** 3,
      extra_hosts: ['db:10.0.0.1'],
      tags: ['me/web:dev'],
      platforms: ['linux/amd64'],
      network: 'host',
      no_cache: true,
      pull: false,
      ssh: ['default'],
      additional_contexts: { shared: '/work/shared', base: 'docker-image://alpine:3' },
    });
  });

  it('git URLs are kept as written', () => {
    const project = buildChecked(`services:\n  web:\n    build: https://github.com/me/app.git#main\n`);
    expect(serviceOf(project).build?.context).toBe('https://github.com/me/app.git#main');
  });

  it('dockerfile_inline has no default dockerfile', () => {
    const project = buildChecked(`services:\n  web:\n    build:\n      dockerfile_inline: |\n        FROM scratch\n`);
    expect(serviceOf(project).build).toMatchObject({ context: WORKDIR, dockerfile_inline: 'FROM scratch\n' });
    expect(serviceOf(project).build?.dockerfile).toBeUndefined();
  });

  it('image names: image, or <project>-<service> for build-only services', () => {
    const project = build(`services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n  api:\n    build: .\n    image: me/api\n`);
    expect(imageNames(project)).toEqual(['me/api', 'postgres:16', 'demo-web']);
  });
});
