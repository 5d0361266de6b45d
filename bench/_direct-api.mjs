// The direct-API baseline of bench/reconcile.mjs: what a careful hand-written script does to bring
// the bench spec up and down with raw Engine API calls (bench/_engine-http.mjs), and nothing more:
// no spec loading, no observing, no plan. Up: network and volume, then create+start level by
// level in one flat pool (the limit stack uses). Down: dependents first, each container stopped
// then removed (dockerd 20.10 leaks endpoints when many running containers are force-removed),
// then the network and the volume. Also the bench's test image and its final sweep.
//
// As a script (what the bench times, so that it pays a process start like `stack` does):
//   node bench/_direct-api.mjs up|down <spec.json> <project>
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EngineHttp, pool, labelFilter } from './_engine-http.mjs';
import { BENCH_IMAGE, PROJECT_LABEL, RUN_LABEL, levelsOf } from './_spec.mjs';

export const PARALLEL = 64;

const containerName = (project, service) => `${project}-${service}-1`;
const networkName = (project, spec) => `${project}_${spec.network}`;
const volumeName = (project, spec) => `${project}_${spec.volume}`;

function createBody(project, spec, service) {
  const network = networkName(project, spec);
  const body = {
    Image: BENCH_IMAGE,
    Cmd: service.command,
    Env: Object.entries(service.env).map(([key, value]) => `${key}=${value}`),
    Labels: { [RUN_LABEL]: spec.runId, [PROJECT_LABEL]: project },
    HostConfig: { Init: service.init === true, NetworkMode: network },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service.name] } } },
  };
  if (service.volume) body.HostConfig.Mounts = [{ Type: 'volume', Source: volumeName(project, spec), Target: '/data' }];
  if (service.port !== undefined) {
    body.ExposedPorts = { '80/tcp': {} };
    body.HostConfig.PortBindings = { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(service.port) }] };
  }
  return body;
}

async function createAndStart(engine, project, spec, service) {
  const name = containerName(project, service.name);
  await engine.call('POST', '/containers/create', { query: { name }, body: createBody(project, spec, service) });
  await engine.call('POST', `/containers/${name}/start`);
}

/** Creates the network and the volume, then creates and starts every container, level by level. */
export async function directUp(engine, project, spec) {
  const labels = { [RUN_LABEL]: spec.runId, [PROJECT_LABEL]: project };
  await Promise.all([
    engine.call('POST', '/networks/create', {
      body: { Name: networkName(project, spec), Driver: 'bridge', CheckDuplicate: true, Labels: labels, ...(spec.subnet ? { IPAM: { Config: [{ Subnet: spec.subnet }] } } : {}) },
    }),
    engine.call('POST', '/volumes/create', { body: { Name: volumeName(project, spec), Labels: labels } }),
  ]);
  for (const level of levelsOf(spec)) await pool(level, PARALLEL, (service) => createAndStart(engine, project, spec, service));
}

async function stopAndRemove(engine, name) {
  await engine.call('POST', `/containers/${name}/stop`, { ok: [304] });
  await engine.call('DELETE', `/containers/${name}`);
}

/** Stops and removes the containers (dependents first), then removes the network and the volume. */
export async function directDown(engine, project, spec) {
  for (const level of levelsOf(spec).reverse()) await pool(level, PARALLEL, (service) => stopAndRemove(engine, containerName(project, service.name)));
  await removeNetwork(engine, networkName(project, spec));
  await engine.call('DELETE', `/volumes/${volumeName(project, spec)}`);
}

/**
 * dockerd 20.10 sometimes keeps a removed container's endpoint counted (moby#42119/#43286): the
 * network then says "has active endpoints" until dockerd restarts. `stack down` warns and leaves
 * such a network; so does this script (one attempt, like stack), so both do the same work. The
 * bench notes what was left and sweeps it.
 */
async function removeNetwork(engine, name) {
  try {
    await engine.call('DELETE', `/networks/${name}`);
  } catch (error) {
    if (error?.status !== 403 || !/active endpoints/.test(error.message)) throw error;
    process.stderr.write(`warning: network ${name}: has active endpoints (dockerd endpoint leak); left\n`);
  }
}

/** Networks and volumes still labelled with the project. */
export async function projectLeftovers(engine, project) {
  const filter = labelFilter([`${PROJECT_LABEL}=${project}`]);
  const networks = (await engine.json('GET', '/networks', { query: filter })).map((n) => n.Name);
  const volumes = ((await engine.json('GET', '/volumes', { query: filter })).Volumes ?? []).map((v) => v.Name);
  return [...networks.map((n) => `network ${n}`), ...volumes.map((v) => `volume ${v}`)];
}

/** What reconciling one changed service costs at the least: stop, remove, create, start. */
export async function directRecreate(engine, project, spec, serviceName) {
  const service = spec.services.find((s) => s.name === serviceName);
  await stopAndRemove(engine, containerName(project, serviceName));
  await createAndStart(engine, project, spec, service);
}

/**
 * A /24 in 10.213.0.0/16 that no network uses. dockerd 20.10 sometimes leaks a removed network's
 * endpoint count (moby#42119/#43286: "has active endpoints" until dockerd restarts, even after
 * stop-then-remove); a network stuck that way keeps its subnet. With an explicit subnet outside
 * the default address pools, a leak never eats the pools every other project on the engine needs.
 */
export async function freeSubnet(engine) {
  const used = new Set();
  for (const network of await engine.json('GET', '/networks')) for (const config of network.IPAM?.Config ?? []) used.add(config.Subnet);
  for (let k = 0; k < 256; k++) {
    const subnet = `10.213.${k}.0/24`;
    if (!used.has(subnet)) return subnet;
  }
  throw new Error('bench: no free /24 left in 10.213.0.0/16 (networks leaked by dockerd? restarting it frees them)');
}

/** Containers of a project (by the Compose project label), with their state. */
export async function projectContainers(engine, project) {
  return engine.json('GET', '/containers/json', { query: { all: '1', ...labelFilter([`${PROJECT_LABEL}=${project}`]) } });
}

/** Removes everything labelled with the run or with one of the projects: containers (stopped first), networks, volumes. */
export async function sweep(engine, { runId, projects }) {
  const selectors = [[`${RUN_LABEL}=${runId}`], ...projects.map((project) => [`${PROJECT_LABEL}=${project}`])];
  const ids = new Set();
  for (const selector of selectors) {
    for (const c of await engine.json('GET', '/containers/json', { query: { all: '1', ...labelFilter(selector) } })) ids.add(c.Id);
  }
  const containers = [...ids];
  const quiet = (promise) => promise.catch(() => undefined);
  await pool(containers, 16, (id) => quiet(engine.call('POST', `/containers/${id}/stop`, { query: { t: '2' }, ok: [304] })));
  await pool(containers, 16, (id) => quiet(engine.call('DELETE', `/containers/${id}`, { query: { v: '1', force: '1' } })));
  const networks = new Map();
  const volumes = new Set();
  for (const selector of selectors) {
    for (const n of await engine.json('GET', '/networks', { query: labelFilter(selector) })) networks.set(n.Id, n.Name);
    const listed = await engine.json('GET', '/volumes', { query: labelFilter(selector) });
    for (const v of listed.Volumes ?? []) volumes.add(v.Name);
  }
  const stuck = [];
  let removedNetworks = 0;
  for (const [id, name] of networks) {
    await engine.call('DELETE', `/networks/${id}`).then(() => removedNetworks++, () => stuck.push(`network ${name}`));
  }
  for (const name of volumes) await quiet(engine.call('DELETE', `/volumes/${name}`));
  return { containers: containers.length, networks: removedNetworks, volumes: volumes.size, stuck };
}

// ---- the test image (same recipe and digest label as test/integration/support/global-setup.ts,
// so the bench and the integration tests never rebuild each other's image) ----

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCKERFILE = join(REPO, 'test/images/busybox/Dockerfile');
const BUSYBOX = '/bin/busybox';
const DIGEST_LABEL = 'dev.stack.test.busybox-digest';

/** Builds stack-test/busybox:latest through the Engine API unless an up-to-date one exists. */
export async function ensureBenchImage(engine) {
  const busybox = await readFile(BUSYBOX);
  const dockerfile = await readFile(DOCKERFILE);
  const digest = createHash('sha256').update(busybox).update(dockerfile).digest('hex');
  const existing = await engine.call('GET', `/images/${BENCH_IMAGE}/json`, { ok: [404] });
  if (existing.status === 200 && existing.body?.Config?.Labels?.[DIGEST_LABEL] === digest) return 'present';

  const { default: tar } = await import('tar-fs');
  const context = await mkdtemp(join(tmpdir(), 'stack-bench-image-'));
  try {
    await copyFile(BUSYBOX, join(context, 'busybox'));
    await copyFile(DOCKERFILE, join(context, 'Dockerfile'));
    const { body } = await engine.call('POST', '/build', {
      query: { t: BENCH_IMAGE, labels: JSON.stringify({ [DIGEST_LABEL]: digest }), rm: '1' },
      body: tar.pack(context),
      raw: true,
    });
    // The build streams JSON lines with status 200; a failed step is an `error` line.
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    if (/"error"\s*:/.test(text)) throw new Error(`building ${BENCH_IMAGE} failed: ${text.slice(-1000)}`);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return 'built';
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [verb, specFile, project] = process.argv.slice(2);
  const run = { up: directUp, down: directDown }[verb];
  if (run === undefined || specFile === undefined || project === undefined) {
    console.error('usage: node bench/_direct-api.mjs up|down <spec.json> <project>');
    process.exit(2);
  }
  const engine = new EngineHttp();
  try {
    await run(engine, project, JSON.parse(readFileSync(specFile, 'utf8')));
  } finally {
    engine.close();
  }
}
