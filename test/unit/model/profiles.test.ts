import { describe, expect, it } from 'vitest';
import { profileNames, serviceNames } from '../../../core/model/serialize.js';
import { withProfiles, withServices } from '../../../core/model/select.js';
import { build, buildChecked, errorOf } from './support.js';

const spec = `
services:
  web:
    image: x
    depends_on: [db]
  db:
    image: x
  debug:
    image: x
    profiles: [debug]
    depends_on: [web]
  mock:
    image: x
    profiles: [dev, test]
  seed:
    image: x
    profiles: [dev]
    depends_on:
      db: { condition: service_healthy }
  admin:
    image: x
    profiles: [admin]
    depends_on: [debug]
`;

describe('profiles', () => {
  it('services without profiles are always active; the others go to disabledServices', () => {
    const project = buildChecked(spec);
    expect(serviceNames(project)).toEqual(['db', 'web']);
    expect(Object.keys(project.disabledServices)).toEqual(['admin', 'debug', 'mock', 'seed']);
    expect(profileNames(project)).toEqual(['admin', 'debug', 'dev', 'test']);
  });

  it('an enabled profile activates its services', () => {
    expect(serviceNames(build(spec, { profiles: ['dev'] }))).toEqual(['db', 'mock', 'seed', 'web']);
    expect(serviceNames(build(spec, { profiles: ['test'] }))).toEqual(['db', 'mock', 'web']);
  });

  it('* enables every profile', () => {
    expect(serviceNames(build(spec, { profiles: ['*'] }))).toEqual(['admin', 'db', 'debug', 'mock', 'seed', 'web']);
  });

  it('naming a service enables it and its profiles', () => {
    // seed's profile `dev` is enabled, so mock (dev, test) comes along, as in Compose.
    expect(serviceNames(build(spec, { services: ['seed'] }))).toEqual(['db', 'mock', 'seed', 'web']);
    expect(serviceNames(build(spec, { services: ['debug'] }))).toEqual(['db', 'debug', 'web']);
    expect(serviceNames(build(spec, { services: ['mock'] }))).toEqual(['db', 'mock', 'seed', 'web']);
  });

  it('an active service needing a disabled one is an error naming both and the profile', () => {
    const error = errorOf(() => build(spec, { profiles: ['admin'] }));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain('service "admin" depends on service "debug", which is disabled by its profiles (debug)');
    expect(error.hint).toContain('--profile debug');
    expect(error.problems?.[0]?.location?.line).toBe(23);
  });

  it('an optional dependency on a disabled service is dropped', () => {
    const project = build(`services:\n  web:\n    image: x\n    depends_on:\n      tools: { required: false }\n  tools:\n    image: x\n    profiles: [tools]\n`);
    expect(project.services.web?.depends_on).toEqual({});
    expect(Object.keys(project.disabledServices)).toEqual(['tools']);
  });

  it('a disabled service does not need its env_file or its secret files to exist', () => {
    const text = `services:\n  web:\n    image: x\n  dev:\n    image: x\n    profiles: [dev]\n    env_file: .env.dev\n    secrets: [token]\nsecrets:\n  token:\n    file: ./token.txt\n`;
    const project = build(text);
    expect(Object.keys(project.disabledServices)).toEqual(['dev']);
    expect(project.secrets.token?.digest).toBeUndefined();
    expect(errorOf(() => build(text, { profiles: ['dev'] })).message).toContain('.env.dev: not found');
  });

  it('an unknown named service is UNKNOWN_SERVICE with a suggestion', () => {
    const error = errorOf(() => build(spec, { services: ['seeed'] }));
    expect(error.code).toBe('UNKNOWN_SERVICE');
    expect(error.message).toContain('no such service: seeed');
    expect(error.hint).toBe('did you mean "seed"?');
  });
});

describe('withProfiles / withServices', () => {
  const project = build(spec);

  it('withProfiles re-applies a selection and leaves the input alone', () => {
    const dev = withProfiles(project, ['dev']);
    expect(serviceNames(dev)).toEqual(['db', 'mock', 'seed', 'web']);
    expect(serviceNames(project)).toEqual(['db', 'web']);
    expect(serviceNames(withProfiles(dev, []))).toEqual(['db', 'web']);
  });

  it('withServices keeps named services and their dependencies; the rest become disabled', () => {
    const only = withServices(project, ['web']);
    expect(serviceNames(only)).toEqual(['db', 'web']);
    const bare = withServices(project, ['web'], { includeDeps: false });
    expect(serviceNames(bare)).toEqual(['web']);
    expect(Object.keys(bare.disabledServices)).toEqual(['admin', 'db', 'debug', 'mock', 'seed']);
  });

  it('withServices can name a service disabled by its profile', () => {
    expect(serviceNames(withServices(project, ['debug']))).toEqual(['db', 'debug', 'web']);
  });

  it('withServices errors when a named service needs a disabled one', () => {
    expect(errorOf(() => withServices(project, ['admin'])).message).toContain('service "admin" depends on service "debug"');
  });

  it('withServices rejects unknown names with a suggestion', () => {
    const error = errorOf(() => withServices(project, ['wbe']));
    expect(error.code).toBe('UNKNOWN_SERVICE');
    expect(error.hint).toBe('did you mean "web"?');
  });

  it('an unknown name far from every service lists the services', () => {
    expect(errorOf(() => withServices(project, ['zzzzzzzz'])).hint).toBe('services are: admin, db, debug, mock, seed, web');
  });
});
