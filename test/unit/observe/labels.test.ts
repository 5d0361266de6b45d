import { describe, expect, test } from 'vitest';
import {
  COMPOSE_COMPATIBLE_VERSION,
  containerLabels,
  containerNumber,
  formatDependsOnLabel,
  isOneOff,
  networkLabels,
  parseDependsOnLabel,
  projectFilter,
  storedConfigOf,
  volumeLabels,
} from '../../../core/observe/labels.js';
import { makeProject, makeService } from '../plan/factory.js';

const project = makeProject({ services: {} });

describe('containerLabels', () => {
  test('carries Compose v2 labels, ours, and the user labels under them', () => {
    const service = makeService('web', {
      labels: { team: 'a', 'com.docker.compose.project': 'hijack' },
      depends_on: { db: { condition: 'service_healthy', restart: true, required: true }, cache: { condition: 'service_started', restart: false, required: true } },
    });
    expect(containerLabels(project, service, 2, 'h', { config: '{}', environmentFiles: ['/e'] })).toEqual({
      team: 'a',
      'com.docker.compose.project': 'myapp',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '2',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'h',
      'com.docker.compose.project.working_dir': '/src/myapp',
      'com.docker.compose.project.config_files': '/src/myapp/compose.yaml',
      'com.docker.compose.project.environment_file': '/e',
      'com.docker.compose.depends_on': 'cache:service_started:false,db:service_healthy:true',
      'com.docker.compose.version': COMPOSE_COMPATIBLE_VERSION,
      'dev.stack.version': '0.1.0',
      'dev.stack.config': '{}',
    });
  });

  test('one-offs have a slug and no number', () => {
    const labels = containerLabels(project, makeService('web'), undefined, 'h', { oneoffSlug: 'abcdef012345' });
    expect(isOneOff(labels)).toBe(true);
    expect(labels['com.docker.compose.slug']).toBe('abcdef012345');
    expect(containerNumber(labels)).toBeUndefined();
  });
});

describe('label parsing', () => {
  test('depends_on round-trips and tolerates bare names', () => {
    const service = makeService('web', { depends_on: { db: { condition: 'service_healthy', restart: true, required: true } } });
    expect(parseDependsOnLabel(formatDependsOnLabel(service))).toEqual([{ service: 'db', condition: 'service_healthy', restart: true }]);
    expect(parseDependsOnLabel('db, cache:service_started')).toEqual([
      { service: 'db', condition: 'service_started', restart: false },
      { service: 'cache', condition: 'service_started', restart: false },
    ]);
    expect(parseDependsOnLabel(undefined)).toEqual([]);
  });

  test('container numbers must be positive integers', () => {
    expect(containerNumber({ 'com.docker.compose.container-number': '3' })).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x', '']) expect(containerNumber({ 'com.docker.compose.container-number': bad })).toBeUndefined();
  });

  test('the stored config parses, or is undefined when absent or broken', () => {
    expect(storedConfigOf({ 'dev.stack.config': '{"a":1}' })).toEqual({ a: 1 });
    expect(storedConfigOf({ 'dev.stack.config': '{' })).toBeUndefined();
    expect(storedConfigOf({})).toBeUndefined();
  });

  test('filters and resource labels', () => {
    expect(projectFilter('p')).toEqual(['com.docker.compose.project=p']);
    expect(networkLabels('p', 'default', 'h')).toMatchObject({ 'com.docker.compose.network': 'default', 'com.docker.compose.project': 'p', 'com.docker.compose.config-hash': 'h' });
    expect(volumeLabels('p', 'data', 'h', { keep: 'me' })).toMatchObject({ 'com.docker.compose.volume': 'data', keep: 'me' });
  });
});
