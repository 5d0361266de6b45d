#!/usr/bin/env node
// Issue 5 figures, measured in one run against the local engine and a local registry (Debian's
// docker-registry on 127.0.0.1, storage in a temp folder):
//   pull: 10 distinct images with `stack pull` (parallel) vs `docker pull` one after another.
//         Target: stack at least 2x faster. `docker pull &` all at once is shown as the
//         machine's ceiling (the daemon's CPU bounds parallel pulls on a small machine).
//   build: 5 small services with `stack build` (parallel) vs `stack build --parallel 1` (one by
//          one) vs `docker build` one after another; every round with --no-cache.
// Local images are removed before each pull round; rounds are interleaved; medians reported.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './_measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STACK = join(root, 'dist/stack.cjs');
const REGISTRY_BIN = '/usr/bin/docker-registry';
const BASE = 'stack-test/busybox:latest';
const IMAGES = 10;
const SERVICES = 5;
const ROUNDS = Number(process.env.BENCH_RUNS ?? 3);
/**
 * Bytes of random (incompressible) data in each image's own layer. Small layers measure what
 * parallelism saves (round trips, per-pull set-up); big ones are bound by the daemon's CPU
 * (decompress, checksum, extract), which parallel pulls cannot beat on a small machine.
 */
const LAYER_SIZES = (process.env.BENCH_LAYER_BYTES ?? `${1024 * 1024},${8 * 1024 * 1024}`).split(',').map(Number);
/** `pull` or `build` to measure one part only. */
const ONLY = process.env.BENCH_ONLY;

for (const [path, what] of [[STACK, 'run `npm run build` first (npm run bench does)'], [REGISTRY_BIN, 'apt-get install docker-registry']]) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: ${what}`);
    process.exit(1);
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${(result.stderr ?? '').slice(0, 2000)}`);
  return result.stdout;
}

function timed(command, args, options) {
  const start = process.hrtime.bigint();
  run(command, args, options);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => (values.length === 0 ? NaN : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRegistry(dir) {
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'),
  );
  const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).ok) return { host: `127.0.0.1:${port}`, child };
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('docker-registry did not start');
}

function ensureBaseImage(dir) {
  if (spawnSync('docker', ['image', 'inspect', BASE], { stdio: 'ignore' }).status === 0) return;
  const ctx = join(dir, 'base');
  mkdirSync(ctx);
  copyFileSync('/bin/busybox', join(ctx, 'busybox'));
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\n');
  run('docker', ['build', '-q', '-t', BASE, ctx]);
}

const work = mkdtempSync(join(tmpdir(), 'stack-bench-images-'));
const id = randomBytes(3).toString('hex');
/** On every image the bench builds, so that what a rebuild leaves untagged can be pruned at the end. */
const BENCH_LABEL = 'dev.stack.bench.run';
let registry;
const made = [];
try {
  ensureBaseImage(work);
  registry = await startRegistry(work);

  // ---- pull: 10 distinct images, seeded in the registry, at each layer size ----
  const pullRows = [];
  for (const layerBytes of ONLY === 'build' ? [] : LAYER_SIZES) {
    const refs = Array.from({ length: IMAGES }, (_, i) => `${registry.host}/bench-${id}/img${i}-${layerBytes}:1`);
    for (const [i, ref] of refs.entries()) {
      const ctx = join(work, `seed${i}-${layerBytes}`);
      mkdirSync(ctx);
      writeFileSync(join(ctx, 'data'), randomBytes(layerBytes));
      writeFileSync(join(ctx, 'Dockerfile'), `FROM ${BASE}\nCOPY data /data\nRUN echo ${i} > /id\n`);
      run('docker', ['build', '-q', '--label', `${BENCH_LABEL}=${id}`, '-t', ref, ctx]);
      run('docker', ['push', ref]);
      made.push(ref);
    }
    const removeLocal = () => spawnSync('docker', ['rmi', '-f', ...refs], { stdio: 'ignore' });
    const pullDir = join(work, `pull-${layerBytes}`);
    mkdirSync(pullDir);
    writeFileSync(join(pullDir, 'compose.yaml'), `name: bench-pull-${id}\nservices:\n${refs.map((ref, i) => `  s${i}:\n    image: ${ref}\n`).join('')}`);
    const docker = [];
    const dockerAll = [];
    const stack = [];
    for (let round = 0; round < ROUNDS; round++) {
      removeLocal();
      docker.push(timed('sh', ['-c', refs.map((ref) => `docker pull -q ${ref} >/dev/null`).join(' && ')]));
      removeLocal();
      // The machine's ceiling: every pull at once from the docker CLI, no orchestration at all.
      dockerAll.push(timed('sh', ['-c', `${refs.map((ref) => `docker pull -q ${ref} >/dev/null &`).join(' ')} wait`]));
      removeLocal();
      stack.push(timed(process.execPath, [STACK, '--progress', 'quiet', 'pull'], { cwd: pullDir }));
    }
    removeLocal();
    const size = `${(layerBytes / 1048576).toFixed(0)} MiB own layer`;
    pullRows.push(
      [`pull ${IMAGES} images (${size}): docker pull, one after another`, median(docker), undefined],
      [`pull ${IMAGES} images (${size}): docker pull, all at once (ceiling)`, median(dockerAll), median(docker), ''],
      [`pull ${IMAGES} images (${size}): stack pull (parallel)`, median(stack), median(docker)],
    );
  }

  // ---- build 5 small services ----
  const buildDir = join(work, 'build');
  mkdirSync(buildDir);
  const services = Array.from({ length: SERVICES }, (_, i) => `svc${i}`);
  for (const [i, name] of services.entries()) {
    mkdirSync(join(buildDir, name));
    writeFileSync(join(buildDir, name, 'data'), randomBytes(1024 * 1024));
    writeFileSync(join(buildDir, name, 'Dockerfile'), `FROM ${BASE}\nCOPY data /data\nRUN echo ${i} > /id && sha256sum /data > /data.sum\nRUN ls -l / > /listing\n`);
  }
  const project = `bench-build-${id}`;
  writeFileSync(
    join(buildDir, 'compose.yaml'),
    `name: ${project}\nservices:\n${services.map((s) => `  ${s}:\n    build:\n      context: ./${s}\n      labels:\n        ${BENCH_LABEL}: "${id}"\n`).join('')}`,
  );
  for (const s of services) made.push(`${project}-${s}`);

  const builds = { stack: [], stackSequential: [], docker: [] };
  for (let round = 0; round < (ONLY === 'pull' ? 0 : ROUNDS); round++) {
    builds.docker.push(timed('sh', ['-c', services.map((s) => `docker build -q --no-cache --label ${BENCH_LABEL}=${id} -t ${project}-${s} ${s} >/dev/null`).join(' && ')], { cwd: buildDir }));
    builds.stackSequential.push(timed(process.execPath, [STACK, '--progress', 'quiet', '--parallel', '1', 'build', '--no-cache', '-q'], { cwd: buildDir }));
    builds.stack.push(timed(process.execPath, [STACK, '--progress', 'quiet', 'build', '--no-cache', '-q'], { cwd: buildDir }));
  }

  const ms = (value) => `${Math.round(value)} ms`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  const bd = median(builds.docker);
  const bq = median(builds.stackSequential);
  const bs = median(builds.stack);
  console.log(`${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}; ${ROUNDS} rounds, medians`);
  const rows = [['case', 'time', 'vs one after another', 'target']];
  for (const [label, time, baseline, target = '>= 2x faster'] of pullRows) rows.push([label, ms(time), baseline === undefined ? '1.00x' : `${ratio(baseline, time)} faster`, baseline === undefined ? '' : target]);
  if (ONLY !== 'pull') {
    rows.push(
      [`build ${SERVICES} services: docker build, one after another`, ms(bd), '1.00x', ''],
      [`build ${SERVICES} services: stack build --parallel 1`, ms(bq), `${ratio(bd, bq)} faster`, ''],
      [`build ${SERVICES} services: stack build (parallel)`, ms(bs), `${ratio(bd, bs)} faster`, `${ratio(bq, bs)} vs --parallel 1`],
    );
  }
  printTable(rows);
} finally {
  if (made.length > 0) spawnSync('docker', ['rmi', '-f', ...made], { stdio: 'ignore' });
  // Rebuilding a tag leaves the previous image untagged: every image the bench built carries its label.
  spawnSync('docker', ['image', 'prune', '-f', '--filter', `label=${BENCH_LABEL}=${id}`], { stdio: 'ignore' });
  registry?.child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
