// The requests a command line lets the CLI start before its program is set up, checked against a
// small HTTP server on a unix socket standing in for the engine's socket (what is asked, not answered).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEarlyReads } from '../../../cli/early-requests.js';
import { connectEngine } from '../../../core/engine/connect.js';

let dir: string;
let server: Server;
let seen: string[];
let socket: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stack-early-'));
  socket = join(dir, 'engine.sock');
  seen = [];
  server = createServer((request, response) => {
    seen.push(decodeURIComponent(request.url ?? ''));
    response.setHeader('Content-Type', 'application/json');
    response.end(request.url?.startsWith('/volumes') ? '{"Volumes": []}' : '[]');
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const until = async (count: number): Promise<void> => {
  for (let i = 0; i < 100 && seen.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('early requests', () => {
  it('ps with -p: the project list is asked for at once, and the engine client takes the answer instead of asking again', async () => {
    const env = { DOCKER_HOST: `unix://${socket}` };
    const early = startEarlyReads({ argv: ['-p', 'demo', 'ps'], env, homeDir: dir });
    expect(early).toBeDefined();
    await until(1);
    expect(seen).toEqual(['/containers/json?all=true&filters={"label":["com.docker.compose.project=demo"]}']);
    const engine = connectEngine({ env, homeDir: dir, early: early! });
    expect(await engine.listContainers({ labels: ['com.docker.compose.project=demo'], all: true })).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('up: containers, networks, volumes and images, named by COMPOSE_PROJECT_NAME too', async () => {
    const env = { DOCKER_HOST: `unix://${socket}`, COMPOSE_PROJECT_NAME: 'shop' };
    expect(startEarlyReads({ argv: ['up', '-d'], env, homeDir: dir })).toBeDefined();
    await until(4);
    expect(seen.sort()).toEqual([
      '/containers/json?all=true&filters={"label":["com.docker.compose.project=shop"]}',
      '/images/json',
      '/networks?filters={"label":["com.docker.compose.project=shop"]}',
      '/volumes?filters={"label":["com.docker.compose.project=shop"]}',
    ]);
  });

  it('nothing when the project is not known from the command line or the environment, for other verbs, over ssh or TLS', async () => {
    const env = { DOCKER_HOST: `unix://${socket}` };
    expect(startEarlyReads({ argv: ['ps'], env, homeDir: dir })).toBeUndefined();
    expect(startEarlyReads({ argv: ['-p', 'demo', 'config'], env, homeDir: dir })).toBeUndefined();
    expect(startEarlyReads({ argv: ['-p', 'demo', 'ps'], env: { DOCKER_HOST: 'ssh://user@host' }, homeDir: dir })).toBeUndefined();
    expect(startEarlyReads({ argv: ['-p', 'demo', 'ps'], env: { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1' }, homeDir: dir })).toBeUndefined();
    expect(startEarlyReads({ argv: ['-p', 'demo', 'ps'], env: { DOCKER_HOST: 'npipe:////./pipe/docker' }, homeDir: dir })).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toEqual([]);
  });
});
