import { expect, test } from 'vitest';
import { containerName, defaultImageName, networkName, oneOffContainerName, replicaName, serviceImage, temporaryName, volumeName } from '../../../core/plan/naming.js';
import { makeProject } from './factory.js';

test('names follow Compose v2', () => {
  expect(containerName('myapp', { name: 'web' }, 2)).toBe('myapp-web-2');
  expect(containerName('myapp', { name: 'web', container_name: 'custom' }, 1)).toBe('custom');
  expect(oneOffContainerName('myapp', 'web', '0123456789abcdef')).toBe('myapp-web-run-0123456789ab');
  expect(replicaName('web', 3)).toBe('web-3');
  expect(temporaryName('abcdef0123456789', 'myapp-web-1')).toBe('abcdef012345_myapp-web-1');
  expect(defaultImageName('myapp', 'web')).toBe('myapp-web');
  expect(serviceImage('myapp', { name: 'web' })).toBe('myapp-web');
  expect(serviceImage('myapp', { name: 'web', image: 'nginx' })).toBe('nginx');
  const project = makeProject({ services: { web: {} }, volumes: { data: { name: 'explicit' } } });
  expect(networkName(project, 'default')).toBe('myapp_default');
  expect(volumeName(project, 'data')).toBe('explicit');
});
