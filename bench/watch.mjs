#!/usr/bin/env node
// Issue 4 figures: the dev loop (`stack watch`), measured against the engine work it cannot avoid.
//   reload: from saving a change of one service's environment in compose.yaml until that
//           service's new container is running (engine `start` event), debounce included, as a
//           ratio to a direct-API stop/remove/create/start of the same container in the same run
//           (interleaved with it).                                               target <= 1.5x
//   sync:   from saving a source file to the file being readable in the container through a
//           develop.watch `sync` rule (polled through the archive API), p50/p90 over ~20 saves.
//                                                                                 target p50 < 300 ms
// Knobs: BENCH_WATCH_RUNS=10 (reloads), BENCH_SYNC_RUNS=20, BENCH_WATCH_DEBOUNCE (ms; default: the
// CLI's own default). Everything made carries a run label and is swept at the end, also on failure.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './_measure.mjs';
import { EngineHttp } from './_engine-http.mjs';
import { directRecreate, directUp, ensureBenchImage, freeSubnet, sweep } from './_direct-api.mjs';
import { BENCH_IMAGE, PROJECT_LABEL, RUN_LABEL, makeSpec, toComposeYaml, withChangedEnv } from './_spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/stack.cjs'))) {
  console.error('dist/stack.cjs is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const RUNS = Number(process.env.BENCH_WATCH_RUNS ?? 10);
const SYNC_RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 20);
const DEBOUNCE = process.env.BENCH_WATCH_DEBOUNCE;
const SIZE = 10;
const CHANGED = 'leaf1';

const runId = randomBytes(3).toString('hex');
const engine = new EngineHttp();
const projects = [];
const children = [];
const work = mkdtempSync(join(tmpdir(), 'stack-bench-watch-'));
// A private copy of the bundle (a rebuild in the shared tree mid-run must not change the figures),
// under node_modules so that dockerode still resolves from it.
const bundle = join(root, 'node_modules/.cache', `stack-bench-watch-${process.pid}`);
const cleanEnv = Object.fromEntries(['PATH', 'HOME', 'DOCKER_HOST', 'LANG'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));

let interrupted = false;
const onSignal = () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error('\ninterrupted: removing what the bench made (again to quit at once)');
  for (const child of children) child.kill('SIGKILL');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (samples, p) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (samples) => percentile(samples, 50);

/** `stack watch` for a project; resolves once it says it is watching. `lines()` = stderr so far. */
async function startWatch(project, dir) {
  let stderr = '';
  const args = [join(bundle, 'stack.cjs'), '-p', project, '--progress', 'plain', 'watch', '-t', '1', ...(DEBOUNCE ? ['--debounce', DEBOUNCE] : [])];
  const child = spawn(process.execPath, args, { cwd: dir, env: cleanEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  const exited = new Promise((resolve) => child.once('close', resolve));
  const deadline = Date.now() + 120_000;
  while (!stderr.includes('Watching ')) {
    if (child.exitCode !== null || Date.now() > deadline || interrupted) throw new Error(`stack watch did not start:\n${stderr}`);
    await sleep(20);
  }
  return { child, stderr: () => stderr, stop: async () => (child.kill('SIGINT'), await exited) };
}

/** Engine `start` events of one project's containers, as a queue of waiters. */
function startEvents(project) {
  const waiters = [];
  const filters = JSON.stringify({ type: ['container'], event: ['start'], label: [`${PROJECT_LABEL}=${project}`] });
  const req = request({ socketPath: engine.socketPath, path: `/v1.41/events?filters=${encodeURIComponent(filters)}` }, (res) => {
    let buffer = '';
    res.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const event = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        const at = now();
        for (const waiter of waiters.splice(0)) waiter.resolve({ at, name: event.Actor?.Attributes?.name });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    next: () => new Promise((resolve) => waiters.push({ resolve })),
    close: () => req.destroy(),
  };
}

/**
 * The file as the container's filesystem holds it, read through the archive API (a tar of one
 * file): the probe costs a few ms, where an exec of `cat` costs a process start and would blur
 * the figure by its own duration.
 */
async function readInContainer(container, path) {
  const { status, body } = await engine.call('GET', `/containers/${container}/archive`, { query: { path }, ok: [404] });
  return status === 200 && typeof body === 'string' ? body : '';
}

async function reloadFigure() {
  const subnetA = await freeSubnet(engine);
  const spec = makeSpec({ count: SIZE, runId, subnet: subnetA });
  const direct = `wtb${runId}d`;
  const stack = `wtb${runId}s`;
  projects.push(direct, stack);
  await directUp(engine, direct, spec);
  const dir = join(work, stack);
  mkdirSync(dir);
  const file = join(dir, 'compose.yaml');
  // Its own subnet: two projects on one /24 would not start.
  const stackSpec = { ...spec, subnet: await nextSubnet(subnetA) };
  writeFileSync(file, toComposeYaml(stackSpec));
  const events = startEvents(stack);
  const watcher = await startWatch(stack, dir);
  const samples = { direct: [], stack: [] };
  try {
    for (let run = 1; run <= RUNS && !interrupted; run++) {
      let t = now();
      await directRecreate(engine, direct, withChangedEnv(spec, CHANGED, run), CHANGED);
      samples.direct.push(now() - t);

      const reloads = (watcher.stderr().match(/reloaded in/g) ?? []).length;
      const started = events.next();
      t = now();
      writeFileSync(file, toComposeYaml(withChangedEnv(stackSpec, CHANGED, run)));
      const event = await Promise.race([started, sleep(30_000).then(() => undefined)]);
      if (!event) throw new Error(`no container start within 30 s of the save:\n${watcher.stderr()}`);
      samples.stack.push(event.at - t);
      if (event.name !== `${stack}-${CHANGED}-1`) throw new Error(`unexpected container started: ${event.name}`);
      // The reload ends after the old container is removed: wait for it before the next save.
      const end = Date.now() + 30_000;
      while ((watcher.stderr().match(/reloaded in/g) ?? []).length <= reloads) {
        if (Date.now() > end) throw new Error(`no reload line:\n${watcher.stderr()}`);
        await sleep(10);
      }
      const line = watcher.stderr().trim().split('\n').filter((l) => l.startsWith('reloaded in')).pop();
      if (line !== undefined && !line.endsWith(`~${CHANGED}`)) throw new Error(`the reload touched more than ${CHANGED}: ${line}`);
      const info = await engine.json('GET', `/containers/${stack}-${CHANGED}-1/json`);
      if (!info.Config.Env.includes(`BENCH_REV=${run}`)) throw new Error(`${stack}-${CHANGED}-1 does not have BENCH_REV=${run}`);
      await sleep(100);
    }
  } finally {
    events.close();
    await watcher.stop();
  }
  return samples;
}

async function nextSubnet(taken) {
  // freeSubnet() only knows networks that exist: make sure the second pick differs from the first.
  const [, , third] = taken.split('.');
  for (let k = Number(third) + 1; k < 256; k++) {
    const candidate = `10.213.${k}.0/24`;
    const used = (await engine.json('GET', '/networks')).some((n) => (n.IPAM?.Config ?? []).some((c) => c.Subnet === candidate));
    if (!used) return candidate;
  }
  throw new Error('bench: no free subnet');
}

async function syncFigure() {
  const project = `wtb${runId}y`;
  projects.push(project);
  const dir = join(work, project);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'file.txt'), 'rev-0\n');
  writeFileSync(
    join(dir, 'compose.yaml'),
    `services:
  app:
    image: ${BENCH_IMAGE}
    init: true
    command: ["sleep", "3600"]
    labels: { ${RUN_LABEL}: "${runId}" }
    develop:
      watch:
        - action: sync
          path: ./src
          target: /app
          initial_sync: true
`,
  );
  const watcher = await startWatch(project, dir);
  const container = `${project}-app-1`;
  const samples = [];
  try {
    const deadline = Date.now() + 30_000;
    while (!(await readInContainer(container, '/app/file.txt')).includes('rev-0')) {
      if (Date.now() > deadline) throw new Error(`initial sync did not happen:\n${watcher.stderr()}`);
      await sleep(50);
    }
    for (let run = 1; run <= SYNC_RUNS && !interrupted; run++) {
      const t = now();
      writeFileSync(join(dir, 'src', 'file.txt'), `rev-${run}\n`);
      for (;;) {
        if ((await readInContainer(container, '/app/file.txt')).includes(`rev-${run}\n`)) break;
        if (now() - t > 10_000) throw new Error(`rev-${run} not synced within 10 s:\n${watcher.stderr()}`);
      }
      samples.push(now() - t);
      await sleep(150);
    }
  } finally {
    await watcher.stop();
  }
  return samples;
}

let failed = false;
try {
  cpSync(join(root, 'dist'), bundle, { recursive: true, filter: (path) => !path.includes(`${'dist'}/types`) });
  await ensureBenchImage(engine);
  const reload = await reloadFigure();
  const sync = await syncFigure();
  const ratio = median(reload.stack) / median(reload.direct);
  const minRatio = Math.min(...reload.stack) / Math.min(...reload.direct);
  const [load1] = loadavg();
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${load1.toFixed(1)}; debounce ${DEBOUNCE ?? 'default'} ms; ${reload.stack.length} reloads, ${sync.length} syncs`);
  printTable([
    ['figure', 'p50 ms', 'p90 ms', 'min ms', 'baseline p50/min ms', 'ratio p50 (min)', 'target', ''],
    [`reload: env of 1 of ${SIZE} services saved -> new container running`, median(reload.stack).toFixed(0), percentile(reload.stack, 90).toFixed(0), Math.min(...reload.stack).toFixed(0), `${median(reload.direct).toFixed(0)}/${Math.min(...reload.direct).toFixed(0)}`, `${ratio.toFixed(2)}x (${minRatio.toFixed(2)}x)`, '1.5x', ratio <= 1.5 ? 'ok' : 'over'],
    ['sync: source saved -> readable in the container', median(sync).toFixed(0), percentile(sync, 90).toFixed(0), Math.min(...sync).toFixed(0), '', '', 'p50 < 300', median(sync) < 300 ? 'ok' : 'over'],
  ]);
  if (load1 > cpus().length) console.log('note: the machine is busy; figures are inflated');
} catch (error) {
  failed = true;
  console.error(`bench watch failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  const swept = await sweep(engine, { runId, projects }).catch(() => undefined);
  if (swept && swept.containers > 0) console.log(`swept ${swept.containers} containers, ${swept.networks} networks, ${swept.volumes} volumes`);
  engine.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(bundle, { recursive: true, force: true });
}
process.exit(failed || interrupted ? 1 : 0);
