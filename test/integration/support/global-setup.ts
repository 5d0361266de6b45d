// vitest globalSetup for the integration project: fails fast with a clear message when no engine
// answers, builds the busybox test image once (no registry here), and at teardown sweeps and
// reports whatever the run's tests left behind: a leftover means some test's cleanup is broken.
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-fs';
import { connectEngine } from '../../../core/engine/connect.js';
import type { DockerEngine } from '../../../core/engine/docker.js';
import { StackError } from '../../../core/errors.js';
import { RUN_ID_ENV, TEST_IMAGE, cleanupProjectsWithPrefix, runPrefix } from './project.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DOCKERFILE = join(REPO, 'test/images/busybox/Dockerfile');
const BUSYBOX = '/bin/busybox';
const DIGEST_LABEL = 'dev.stack.test.busybox-digest';

export default async function setup(): Promise<() => Promise<void>> {
  // Workers are started after global setup and inherit the environment.
  process.env[RUN_ID_ENV] ??= randomBytes(2).toString('hex');
  // buildImage is not on the Engine port yet; connectEngine always makes a DockerEngine.
  const engine = connectEngine() as DockerEngine;
  try {
    await engine.ping();
  } catch (error) {
    const message = error instanceof StackError ? `${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}` : String(error);
    throw new Error(`integration tests need a Docker engine:\n  ${message}`);
  }
  const imageId = await ensureTestImage(engine);
  return async () => {
    // Every file shares this tag: a test that builds onto it changes the image under the others.
    const after = (await engine.inspectImage(TEST_IMAGE))?.id;
    if (after !== imageId) {
      process.exitCode = 1;
      throw new Error(`a test changed the shared image ${TEST_IMAGE} (${imageId} -> ${after ?? 'removed'}): give its build another image name`);
    }
    const left = await cleanupProjectsWithPrefix(engine, runPrefix());
    const names = [...left.containers.map((n) => `container ${n}`), ...left.networks.map((n) => `network ${n}`), ...left.volumes.map((n) => `volume ${n}`)];
    if (names.length > 0) {
      const text = `\n!!! integration tests left ${names.length} resource(s) behind (now removed):\n${names.map((n) => `!!!   ${n}`).join('\n')}\n`;
      process.stderr.write(text);
      process.exitCode = 1;
      throw new Error(`integration tests leaked engine resources: ${names.join(', ')}`);
    }
  };
}

async function ensureTestImage(engine: DockerEngine): Promise<string> {
  const busybox = await readFile(BUSYBOX).catch((error: unknown) => {
    throw new Error(`the test image needs a static busybox at ${BUSYBOX} (Debian: apt-get install busybox-static): ${String(error)}`);
  });
  const dockerfile = await readFile(DOCKERFILE);
  const digest = createHash('sha256').update(busybox).update(dockerfile).digest('hex');
  // Built every run, not reused by label: a child image built FROM it inherits the label, so a
  // stray retag would pass a label check. The builder's cache makes this a no-op when unchanged.

  const context = await mkdtemp(join(tmpdir(), 'stack-test-image-'));
  try {
    await copyFile(BUSYBOX, join(context, 'busybox'));
    await copyFile(DOCKERFILE, join(context, 'Dockerfile'));
    await engine.buildImage(tar.pack(context) as unknown as Readable, { tag: TEST_IMAGE, labels: { [DIGEST_LABEL]: digest } });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  const built = await engine.inspectImage(TEST_IMAGE);
  if (built?.labels[DIGEST_LABEL] !== digest) throw new Error(`building ${TEST_IMAGE} produced no image with label ${DIGEST_LABEL}=${digest}`);
  return built.id;
}
