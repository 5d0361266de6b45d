// build, pull and push through the CLI against the real engine and real registries: Debian's
// docker-registry on 127.0.0.1, one open and one behind htpasswd basic auth.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { connectEngine } from '../../../core/engine/connect.js';
import { runStack } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, makeTempDir, uniqueProjectName, type TempDir } from '../support/project.js';
import { registryUnavailable, startRegistry, type RealRegistry } from './registry.js';

const engine = connectEngine();
const USER = { name: 'bob', password: `pw-${randomBytes(6).toString('hex')}` };
const unavailable = registryUnavailable();

let open: RealRegistry;
let locked: RealRegistry;
let temp: TempDir | undefined;
let projectName: string | undefined;
/** Every image reference a test made: removed after each test. */
let images: string[] = [];

beforeAll(async () => {
  if (unavailable) throw new Error(`these tests need a registry: ${unavailable}`);
  [open, locked] = await Promise.all([startRegistry(), startRegistry({ user: USER })]);
});

afterAll(async () => {
  await Promise.all([open?.close(), locked?.close()]);
});

afterEach(async () => {
  if (projectName) await cleanupProject(engine, projectName);
  for (const image of images) await engine.removeImage(image, { force: true }).catch(() => undefined);
  await temp?.remove();
  temp = undefined;
  projectName = undefined;
  images = [];
});

/** A unique repository name on a registry, remembered for cleanup. */
function ref(registry: RealRegistry, name: string, tag = '1'): string {
  const reference = `${registry.host}/${uniqueProjectName(name)}:${tag}`;
  images.push(reference);
  return reference;
}

async function setUp(name: string, files: Record<string, string>): Promise<{ dir: string; project: string }> {
  projectName = uniqueProjectName(name);
  temp = await makeTempDir(files);
  return { dir: temp.dir, project: projectName };
}

const basicAuth = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

/** An image of our own, pushed to `registry` and then removed locally. */
async function seed(registry: RealRegistry, name: string, content: string): Promise<string> {
  const reference = ref(registry, name);
  const ctx = await makeTempDir({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${content} > /content\n` });
  try {
    const tar = (await import('tar-fs')).default;
    await engine.buildImage(tar.pack(ctx.dir) as unknown as import('node:stream').Readable, { tags: [reference] });
  } finally {
    await ctx.remove();
  }
  const auth = registry === locked ? { username: USER.name, password: USER.password, serveraddress: registry.host } : undefined;
  await engine.pushImage(reference, auth ? { auth } : {});
  await engine.removeImage(reference);
  return reference;
}

const digestOf = async (reference: string): Promise<string | undefined> => (await engine.inspectImage(reference))?.repoDigests.find((d) => d.startsWith(reference.slice(0, reference.lastIndexOf(':')) + '@'))?.split('@')[1];

describe('build, push, and up pulls it back', () => {
  test('the image built and pushed comes back with the same digest after a local removal', async () => {
    const image = ref(open, 'roundtrip');
    const { dir, project } = await setUp('roundtrip', {
      'compose.yaml': `services:\n  app:\n    image: ${image}\n    build: .\n    init: true\n    stop_grace_period: 1s\n    command: ["sleep", "3600"]\n`,
      Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo built > /marker\n`,
    });
    const built = await runStack(['-p', project, '--progress', 'plain', 'build'], { cwd: dir });
    expect(built.stderr).toContain('Built');
    expect(built.code).toBe(0);
    const pushed = await runStack(['-p', project, 'push'], { cwd: dir });
    expect(pushed.code, pushed.stderr).toBe(0);
    const digest = await digestOf(image);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    await engine.removeImage(image);
    expect(await engine.inspectImage(image)).toBeUndefined();
    // As on another machine: a spec that only names the image. `up` pulls it back.
    await writeFile(join(dir, 'deploy.yaml'), `services:\n  app:\n    image: ${image}\n    init: true\n    stop_grace_period: 1s\n    command: ["sleep", "3600"]\n`);
    const upped = await runStack(['-p', project, '-f', 'deploy.yaml', 'up', '-d'], { cwd: dir });
    expect(upped.code, upped.stderr).toBe(0);
    expect(await digestOf(image)).toBe(digest);
    const containers = await engine.listContainers({ labels: [`com.docker.compose.project=${project}`], all: true });
    expect(containers.map((c) => c.image)).toEqual([image]);
  });
});

describe('credentials', () => {
  test('pull with plain `auths` from a temporary DOCKER_CONFIG', async () => {
    const image = await seed(locked, 'auths', 'private');
    const { dir, project } = await setUp('auths', { 'compose.yaml': `services:\n  app:\n    image: ${image}\n`, 'docker/config.json': JSON.stringify({ auths: { [`http://${locked.host}`]: { auth: basicAuth(USER.name, USER.password) } } }) });
    const result = await runStack(['-p', project, '--progress', 'plain', 'pull'], { cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker') } });
    expect(result.code, result.stderr).toBe(0);
    expect(await engine.inspectImage(image)).toBeDefined();
    expect(result.stdout + result.stderr).not.toContain(USER.password);
  });

  test('pull with a credential helper script on PATH', async () => {
    const image = await seed(locked, 'helper', 'private');
    const { dir, project } = await setUp('helper', { 'compose.yaml': `services:\n  app:\n    image: ${image}\n`, 'docker/config.json': JSON.stringify({ credsStore: 'stacktest' }) });
    const helper = join(dir, 'bin', 'docker-credential-stacktest');
    await mkdir(join(dir, 'bin'));
    await writeFile(helper, `#!/bin/sh\nread -r server\n[ "$server" = "${locked.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"'"$server"'","Username":"${USER.name}","Secret":"${USER.password}"}'\n`);
    await chmod(helper, 0o755);
    const result = await runStack(['-p', project, '--progress', 'plain', 'pull'], { cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker'), PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}` } });
    expect(result.code, result.stderr).toBe(0);
    expect(await engine.inspectImage(image), result.stderr).toBeDefined();
    expect(result.stdout + result.stderr).not.toContain(USER.password);
  });

  test('a build whose base image is on the private registry gets the credentials for it', async () => {
    const base = await seed(locked, 'base', 'private-base');
    const { dir, project } = await setUp('privbase', {
      'compose.yaml': 'services:\n  app:\n    build: .\n',
      Dockerfile: `FROM ${base}\nRUN cat /content\n`,
      'docker/config.json': JSON.stringify({ auths: { [locked.host]: { auth: basicAuth(USER.name, USER.password) } } }),
    });
    images.push(`${project}-app`);
    const result = await runStack(['-p', project, '--progress', 'plain', 'build'], { cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker') } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('private-base');
    expect(result.stdout + result.stderr).not.toContain(USER.password);
  });

  test('wrong credentials give a clear error that names the registry and the user, never the password', async () => {
    const image = await seed(locked, 'wrong', 'private');
    const wrong = `wrong-${randomBytes(4).toString('hex')}`;
    const { dir, project } = await setUp('wrong', { 'compose.yaml': `services:\n  app:\n    image: ${image}\n`, 'docker/config.json': JSON.stringify({ auths: { [locked.host]: { auth: basicAuth(USER.name, wrong) } } }) });
    const result = await runStack(['-p', project, '--progress', 'plain', 'pull'], { cwd: dir, env: { DOCKER_CONFIG: join(dir, 'docker') } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`registry ${locked.host} rejected the credentials for user ${USER.name}`);
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  test('an unknown image is named as such', async () => {
    const image = `${open.host}/nope-${randomBytes(3).toString('hex')}:1`;
    const { dir, project } = await setUp('unknown', { 'compose.yaml': `services:\n  app:\n    image: ${image}\n` });
    const result = await runStack(['-p', project, 'pull'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`pull access denied or image not found: ${image}`);
    const ignored = await runStack(['-p', project, 'pull', '--ignore-pull-failures'], { cwd: dir });
    expect(ignored.code).toBe(0);
    expect(ignored.stderr).toContain(`pull access denied or image not found: ${image}`);
  });
});

describe('pull_policy', () => {
  test('never: pull skips it and up refuses a missing image; missing: a present image is not pulled again', async () => {
    const image = await seed(open, 'policy', 'v1');
    const { dir, project } = await setUp('policy', {
      'compose.yaml': `services:\n  app:\n    image: ${image}\n    pull_policy: never\n    init: true\n    command: ["sleep", "3600"]\n`,
    });
    const skipped = await runStack(['-p', project, '--progress', 'plain', 'pull'], { cwd: dir });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(await engine.inspectImage(image)).toBeUndefined();
    const refused = await runStack(['-p', project, 'up', '-d'], { cwd: dir });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('pull_policy is never');

    await engine.pullImage(image, {});
    const first = (await engine.inspectImage(image))?.id;
    // Replace the tag on the registry with other content: a `missing` pull must not fetch it, an `always` one must.
    const other = await seed(open, 'policy-other', 'v2');
    await engine.pullImage(other, {});
    await engine.tagImage(other, image);
    await engine.pushImage(image, {});
    await engine.tagImage(first!, image);
    await writeFile(join(dir, 'compose.yaml'), `services:\n  app:\n    image: ${image}\n    pull_policy: missing\n`);
    expect((await runStack(['-p', project, 'pull'], { cwd: dir })).code).toBe(0);
    expect((await engine.inspectImage(image))?.id).toBe(first);
    await writeFile(join(dir, 'compose.yaml'), `services:\n  app:\n    image: ${image}\n    pull_policy: always\n`);
    expect((await runStack(['-p', project, 'pull'], { cwd: dir })).code).toBe(0);
    expect((await engine.inspectImage(image))?.id).not.toBe(first);
    await engine.removeImage(first!, { force: true }).catch(() => undefined);
  });
});

describe('build', () => {
  test('.dockerignore keeps a file out, and build args and target reach the build', async () => {
    const image = ref(open, 'ctx');
    const { dir, project } = await setUp('ctx', {
      'compose.yaml': `services:\n  app:\n    image: ${image}\n    build:\n      context: ./src\n      dockerfile: ../build/Dockerfile\n      target: good\n      args:\n        GREETING: hello\n`,
      // The `bad` stage fails the build if the target is ignored; RUN tests fail it if args or .dockerignore are ignored.
      'build/Dockerfile': `FROM ${TEST_IMAGE} AS good\nARG GREETING\nCOPY . /ctx/\nRUN test "$GREETING" = hello && test -e /ctx/kept.txt && test ! -e /ctx/secret.txt && test ! -e /ctx/Dockerfile\nFROM good AS bad\nRUN exit 7\n`,
      'src/.dockerignore': 'secret.txt\n',
      'src/secret.txt': 'do not send',
      'src/kept.txt': 'send',
    });
    const result = await runStack(['-p', project, '--progress', 'plain', 'build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(await engine.inspectImage(image)).toBeDefined();
  });

  test('a failing build names the service and the step, and the other service is still built', async () => {
    const good = ref(open, 'good');
    const { dir, project } = await setUp('failing', {
      'compose.yaml': `services:\n  good:\n    image: ${good}\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM ${TEST_IMAGE}\n        RUN echo fine\n  broken:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM ${TEST_IMAGE}\n        RUN echo about to fail && exit 3\n`,
    });
    images.push(`${project}-broken`);
    const result = await runStack(['-p', project, '--progress', 'plain', 'build', '--build-arg', 'UNUSED=1'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('service broken: build failed at step 2/2 : RUN echo about to fail && exit 3');
    expect(result.stderr).toContain('| about to fail');
    expect(result.stderr).toContain('returned a non-zero code: 3');
    expect(await engine.inspectImage(good)).toBeDefined();
  });

  test('a git URL context is refused with a clear message', async () => {
    const { dir, project } = await setUp('git', { 'compose.yaml': 'services:\n  app:\n    build: https://github.com/docker/compose.git\n' });
    const result = await runStack(['-p', project, 'build'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('is a remote (git or URL) context, which stack does not build from');
  });
});

describe('up builds', () => {
  const spec = (extra = '') => `services:\n  app:\n    build: .\n${extra}    init: true\n    stop_grace_period: 1s\n    command: ["sleep", "3600"]\n`;

  test('a missing build-only image is built as <project>-<service>; --build and pull_policy: build rebuild it', async () => {
    const { dir, project } = await setUp('upbuild', { 'compose.yaml': spec(), Dockerfile: `FROM ${TEST_IMAGE}\nARG STAMP=one\nRUN echo $STAMP > /stamp\n` });
    images.push(`${project}-app`);
    const first = await runStack(['-p', project, 'up', '-d'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const id1 = (await engine.inspectImage(`${project}-app`))?.id;
    expect(id1).toBeDefined();

    // Unchanged context, no --build: nothing is built again.
    expect((await runStack(['-p', project, 'up', '-d'], { cwd: dir })).code).toBe(0);
    expect((await engine.inspectImage(`${project}-app`))?.id).toBe(id1);

    await writeFile(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo two > /stamp\n`);
    const rebuilt = await runStack(['-p', project, 'up', '-d', '--build'], { cwd: dir });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const id2 = (await engine.inspectImage(`${project}-app`))?.id;
    expect(id2).not.toBe(id1);

    await writeFile(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo three > /stamp\n`);
    await writeFile(join(dir, 'compose.yaml'), spec('    pull_policy: build\n'));
    const byPolicy = await runStack(['-p', project, 'up', '-d'], { cwd: dir });
    expect(byPolicy.code, byPolicy.stderr).toBe(0);
    expect((await engine.inspectImage(`${project}-app`))?.id).not.toBe(id2);
    for (const id of [id1, id2]) if (id) await engine.removeImage(id, { force: true }).catch(() => undefined);
  });

  test('push to a registry behind basic auth with credentials from DOCKER_CONFIG', async () => {
    const image = ref(locked, 'pushauth');
    const { dir, project } = await setUp('pushauth', {
      'compose.yaml': `services:\n  app:\n    image: ${image}\n    build: .\n`,
      Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo pushed > /x\n`,
      'docker/config.json': JSON.stringify({ auths: { [locked.host]: { auth: basicAuth(USER.name, USER.password) } } }),
    });
    const env = { DOCKER_CONFIG: join(dir, 'docker') };
    expect((await runStack(['-p', project, 'build', '-q'], { cwd: dir, env })).code).toBe(0);
    const pushed = await runStack(['-p', project, '--progress', 'plain', 'push'], { cwd: dir, env });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain('Pushed');
    expect(pushed.stdout + pushed.stderr).not.toContain(USER.password);
    const denied = await runStack(['-p', project, 'push'], { cwd: dir, env: { DOCKER_CONFIG: join(dir, 'none') } });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(`registry ${locked.host} needs credentials to push ${image}`);
  });
});
