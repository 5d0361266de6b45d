// The bundle ships the Compose schema validator precompiled (scripts/build/schema-validator.mjs)
// instead of compiling it with ajv at run time: it must report exactly what the sources report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sourceApi from '../../../core/api.js';
import { ensureBuilt, repoRoot } from './support/stack.js';

type Api = typeof sourceApi;
let bundledApi: Api;
const dir = mkdtempSync(join(tmpdir(), 'stack-bundle-'));

beforeAll(async () => {
  ensureBuilt();
  bundledApi = (await import(/* @vite-ignore */ pathToFileURL(join(repoRoot, 'dist/api.js')).href)) as Api;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECS: Record<string, string> = {
  'unknown keys and wrong types': 'services:\n  web:\n    imagee: busybox\n    image: 3\n    init: maybe\n',
  'bad port, duration and size': 'services:\n  web:\n    image: busybox\n    ports: ["80:80:80:80"]\n    stop_grace_period: soon\n    shm_size: lots\n',
  'nested deploy and healthcheck': 'services:\n  web:\n    image: busybox\n    deploy:\n      replicas: many\n      resources: {limits: {cpus: fast}}\n    healthcheck: {interval: 5, retries: x}\n',
  'top-level objects': 'services:\n  web: {image: busybox}\nvolumes:\n  data: {driver: 3, externall: true}\nnetworks: [a, b]\n',
  valid: 'services:\n  web:\n    image: busybox\n    ports: ["127.0.0.1:8080:80"]\n    healthcheck: {test: ["CMD", "true"], interval: 5s}\n',
};

async function outcome(api: Api, name: string, text: string): Promise<unknown> {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, text);
  const options = { files: [file], envFiles: [], environment: {}, cwd: dir, interpolate: true, profiles: [], services: [] };
  try {
    return (await api.config(options)).model;
  } catch (error) {
    return error instanceof Error && 'toJSON' in error ? (error as { toJSON(): unknown }).toJSON() : String(error);
  }
}

describe('the bundled schema validator', () => {
  it.each(Object.entries(SPECS))('reports what the sources report: %s', async (name, text) => {
    const expected = await outcome(sourceApi, name, text);
    expect(await outcome(bundledApi, name, text)).toEqual(expected);
  });
});
