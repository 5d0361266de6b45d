// A real registry for the tests: Debian's `docker-registry` (distribution v2) on 127.0.0.1, storage
// in a temp folder, optionally behind htpasswd basic auth. dockerd treats 127.0.0.0/8 registries
// as insecure-allowed, so plain http works with no daemon set-up.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RealRegistry {
  /** `127.0.0.1:<port>`: prefix image names with it. */
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface RegistryOptions {
  /** Basic auth with this one user. */
  user?: { name: string; password: string };
}

/** Why the registry cannot run here, or undefined when it can. */
export function registryUnavailable(): string | undefined {
  if (!existsSync(REGISTRY_BIN)) return `${REGISTRY_BIN} is missing (Debian: apt-get install docker-registry)`;
  if (spawnSync('htpasswd', ['-h']).error) return 'htpasswd is missing (Debian: apt-get install apache2-utils)';
  return undefined;
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RealRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'stack-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (options.user) {
    const htpasswd = join(dir, 'htpasswd');
    // bcrypt is what the registry accepts; node has no bcrypt, htpasswd (apache2-utils) does.
    const made = spawnSync('htpasswd', ['-Bbn', options.user.name, options.user.password], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`htpasswd failed: ${made.stderr}`);
    await writeFile(htpasswd, made.stdout);
    lines.push('auth:', '  htpasswd:', '    realm: stack-test', `    path: ${htpasswd}`);
  }
  const config = join(dir, 'config.yml');
  await writeFile(config, `${lines.join('\n')}\n`);
  const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  await waitUntilListening(port, child, () => stderr);
  return {
    host: `127.0.0.1:${port}`,
    port,
    close: async () => {
      await stop(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilListening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v2/`);
      // 401 = up, behind auth.
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry did not listen on 127.0.0.1:${port} within 15 s: ${stderr()}`);
}
