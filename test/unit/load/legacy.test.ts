import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLegacySpec } from '../../../core/load/legacy.js';
import { FIXTURES, loadIn, loadYaml } from './helpers.js';

describe('legacy formats', () => {
  it('moves a Fig fig.yml\'s top-level services under services:, net -> network_mode', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'legacy-fig'));
    expect(spec.data.services).toEqual({
      web: { build: '.', ports: ['5000:5000'], links: ['redis'], network_mode: 'host' },
      redis: { image: 'redis' },
    });
    expect(spec.warnings.join('\n')).toMatch(/fig\.yml:1:1: this is a version 1 \(Fig\) spec/);
  });

  it('keeps positions of moved services', async () => {
    const spec = await loadIn(path.join(FIXTURES, 'legacy-fig'));
    expect(spec.sources.locate(['services', 'redis', 'image'])).toMatchObject({ file: 'fig.yml', line: 9, col: 10 });
    expect(spec.sources.locate(['services', 'web', 'network_mode'])).toMatchObject({ file: 'fig.yml', line: 7 });
  });

  it('moves a v1 service-level dockerfile into build', async () => {
    const spec = await loadYaml('web:\n  build: ./app\n  dockerfile: Dev.Dockerfile\n');
    expect(spec.data.services).toEqual({ web: { build: { context: './app', dockerfile: 'Dev.Dockerfile' } } });
    expect(spec.sources.locate(['services', 'web', 'build', 'dockerfile'])).toMatchObject({ line: 3, col: 15 });
  });

  it('treats version "1" with top-level services as legacy', () => {
    expect(isLegacySpec({ version: '1', web: { restart: 'always' } })).toBe(true);
  });

  it('does not mistake current files or override fragments for legacy ones', () => {
    expect(isLegacySpec({ services: { web: { image: 'a' } } })).toBe(false);
    expect(isLegacySpec({ networks: { front: {} } })).toBe(false);
    expect(isLegacySpec({ version: '3.8', web: { image: 'a' } })).toBe(false);
    expect(isLegacySpec({ 'x-a': { image: 'a' } })).toBe(false);
  });

  it('drops `version` with a positioned warning', async () => {
    const spec = await loadYaml('version: "3.8"\nservices:\n  web: {image: a}\n');
    expect(spec.data.version).toBeUndefined();
    expect(spec.warnings).toEqual(['compose.yaml:1:1: version: the attribute `version` is obsolete and ignored; remove it to avoid confusion']);
  });
});
