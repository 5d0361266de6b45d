#!/usr/bin/env node
// Issue 3 figures: what `stack up/down/ps/logs` cost on top of the engine work they cannot avoid.
// Every figure is the median of several runs and a ratio to a baseline measured in the same run,
// interleaved with it (a shared dockerd on a small machine drifts; ratios drift less than times):
//   cold `up -d`       vs a direct-API script (a node process) creating+starting the same containers (<= 1.05x)
//   `down -v`          vs the direct-API script's teardown (<= 1.05x)
//   no-op `up -d`      vs a bare `node -e 0` (<= 2.5x)
//   `up -d`, one env changed  vs no-op `up -d` + one direct stop/remove/create/start (<= 1.2x)
//   `ps`               vs a bare `node -e 0` (<= 2x)
//   and, without a target, both against the floor (bench/_list-floor.cjs): node plus the one
//   container list they cannot avoid, to show what is stack's own work and what is dockerd's
//   `logs` of 200,000 lines to /dev/null  vs `docker logs` of each container in turn (<= 1.0x)
// docker-compose 1.29 runs the same spec for comparison when installed. The spec: bench/_spec.mjs;
// the direct-API script: bench/_direct-api.mjs. Everything made carries a run label and is swept
// at the end, also after a failure or Ctrl-C.
//
// Knobs (environment), defaults chosen to keep the whole bench near 10 minutes on 2 cores:
// BENCH_SIZES=10,50,200  BENCH_RUNS=10:5,50:3,200:3 (runs per size; docker-compose, a comparison
// only, runs once at N >= 200: it takes minutes there)  BENCH_REPEATS=3 (no-op up and ps samples
// per run)  BENCH_LOG_RUNS=5 (0 skips the logs figure)  BENCH_COMPOSE_TIMEOUT=150 (seconds per
// docker-compose command before it counts as "timeout"; 1.29 deadlocks near 200 services).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './_measure.mjs';
import { EngineHttp } from './_engine-http.mjs';
import { PARALLEL, directRecreate, ensureBenchImage, freeSubnet, projectContainers, projectLeftovers, sweep } from './_direct-api.mjs';
import { freePorts, makeLogSpec, makeSpec, toComposeYaml, withChangedEnv } from './_spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/stack.cjs'))) {
  console.error('dist/stack.cjs is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}

const SIZES = (process.env.BENCH_SIZES ?? '10,50,200').split(',').map(Number);
const RUNS = new Map((process.env.BENCH_RUNS ?? '10:5,50:3,200:3').split(',').map((pair) => pair.split(':').map(Number)));
const runsFor = (size) => RUNS.get(size) ?? 3;
const COMPOSE_RUNS_LARGE = 1;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const LOG_RUNS = Number(process.env.BENCH_LOG_RUNS ?? 5);
const LOG_SERVICES = 10;
const LOG_LINES = 20_000;
const COMPOSE_TIMEOUT_MS = Number(process.env.BENCH_COMPOSE_TIMEOUT ?? 150) * 1000;
const STACK_TIMEOUT_MS = 300_000;
/** The service whose environment changes in the "one env changed" figure: a leaf, nothing depends on it. */
const CHANGED = 'leaf1';

const runId = randomBytes(3).toString('hex');
const engine = new EngineHttp();
const projects = [];
const problems = [];
/** Command -> what it left behind, per run where it did. */
const leftovers = new Map();
const work = mkdtempSync(join(tmpdir(), 'stack-bench-reconcile-'));
// A private copy of the bundle, as in bench/config.mjs (a rebuild in the shared tree mid-run must
// not change the figures), kept under node_modules so that dockerode still resolves from it.
const bundle = join(root, 'node_modules/.cache', `stack-bench-${process.pid}`);
const cleanEnv = Object.fromEntries(['PATH', 'HOME', 'DOCKER_HOST', 'LANG'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));

// ---- interruption: Ctrl-C kills the running child, lets the current step fail, and the finally sweeps ----

let interrupted = false;
let currentChild;
class Interrupted extends Error {}
const onSignal = (signal) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error(`\n${signal}: stopping, then removing what the bench made (again to quit at once)`);
  currentChild?.kill('SIGKILL');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const checkpoint = () => {
  if (interrupted) throw new Interrupted('interrupted');
};

// ---- timing ----

class CommandFailed extends Error {}

/** Wall time in ms of one run of `argv` (spawn to exit); `timeout: true` instead when it ran past `timeoutMs`. */
function timeCommand(argv, { cwd = work, stdout = 'ignore', timeoutMs = STACK_TIMEOUT_MS } = {}) {
  checkpoint();
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env: cleanEnv, stdio: ['ignore', stdout, 'pipe'] });
    currentChild = child;
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearTimeout(timer);
      currentChild = undefined;
      if (interrupted) return reject(new Interrupted('interrupted'));
      if (timedOut) return resolve({ ms, timeout: true });
      if (status !== 0) return reject(new CommandFailed(`\`${argv.slice(1).join(' ')}\` exited ${status ?? signal}:\n${stderr.trim()}`));
      resolve({ ms, timeout: false });
    });
  });
}

async function timeFn(fn) {
  checkpoint();
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (samples) => {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// ---- the three ways of running the spec ----

const direct = (verb, file, project) => [process.execPath, join(root, 'bench/_direct-api.mjs'), verb, file, project];
const stackCli = () => [process.execPath, join(bundle, 'stack.cjs')];
const stack = (project, file, ...verb) => [...stackCli(), '-p', project, '-f', file, '--progress', 'quiet', ...verb];
const compose = (project, file, ...verb) => ['docker-compose', '-p', project, '-f', file, '--ansi', 'never', ...verb];
const composeInstalled = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
const COMPOSE = composeInstalled.status === 0 ? `docker-compose ${composeInstalled.stdout.trim()}` : undefined;

function newProject(kind, size, run) {
  const name = `rcb${runId}${kind}${size}n${run}`;
  projects.push(name);
  return name;
}

/** Writes the spec and the one-env-changed variant for a project; returns their paths. */
function writeSpecFiles(project, spec, rev) {
  const dir = join(work, project);
  mkdirSync(dir);
  const file = join(dir, 'compose.yaml');
  const changed = join(dir, 'compose.changed.yaml');
  writeFileSync(file, toComposeYaml(spec));
  writeFileSync(changed, toComposeYaml(withChangedEnv(spec, CHANGED, rev)));
  return { file, changed };
}

/** Fails when the engine does not show `count` running containers for the project: a command that "succeeds" doing nothing must not make a figure. */
async function expectRunning(project, count, what) {
  const running = (await projectContainers(engine, project)).filter((c) => c.State === 'running').length;
  if (running !== count) throw new CommandFailed(`${what}: ${running} of ${count} containers running afterwards`);
}

async function expectEnv(name, rev, what) {
  const info = await engine.json('GET', `/containers/${name}/json`);
  if (!info.Config.Env.includes(`BENCH_REV=${rev}`)) throw new CommandFailed(`${what}: ${name} does not have BENCH_REV=${rev} afterwards`);
}

/** Containers left fail the round; a network left (dockerd 20.10's endpoint leak, see _direct-api.mjs) is noted, and swept if it can be. */
async function expectGone(project, what) {
  const left = await projectContainers(engine, project);
  if (left.length > 0) throw new CommandFailed(`${what}: ${left.length} containers left afterwards`);
  const rest = await projectLeftovers(engine, project);
  if (rest.length === 0) return;
  leftovers.set(what, [...(leftovers.get(what) ?? []), rest.join(', ')]);
  await sweep(engine, { runId: '-', projects: [project] });
}

/** samples[figure] = ms[]; `'timeout'` entries mark a run cut short; `error` keeps the first failure. */
function newSamples() {
  return new Proxy({}, { get: (target, key) => (typeof key === 'string' ? (target[key] ??= []) : undefined) });
}

async function directRound(size, run, samples) {
  const project = newProject('d', size, run);
  const spec = makeSpec({ count: size, runId, ports: await freePorts(3), subnet: await freeSubnet(engine) });
  const dir = join(work, project);
  mkdirSync(dir);
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  samples.up.push((await timeCommand(direct('up', file, project))).ms);
  await expectRunning(project, size, 'direct up');
  // In-process: this baseline adds to a no-op `stack up`, which already paid for the process.
  samples.recreate.push(await timeFn(() => directRecreate(engine, project, withChangedEnv(spec, CHANGED, run + 1), CHANGED)));
  samples.down.push((await timeCommand(direct('down', file, project))).ms);
  await expectGone(project, `direct-API script down (N=${size})`);
}

async function stackRound(size, run, samples, node) {
  const project = newProject('s', size, run);
  const spec = makeSpec({ count: size, runId, ports: await freePorts(3), subnet: await freeSubnet(engine) });
  const { file, changed } = writeSpecFiles(project, spec, run + 1);
  samples.up.push((await timeCommand(stack(project, file, 'up', '-d'))).ms);
  await expectRunning(project, size, 'stack up -d');
  for (let i = 0; i < REPEATS; i++) {
    node.push((await timeCommand([process.execPath, '-e', '0'])).ms);
    samples.noop.push((await timeCommand(stack(project, file, 'up', '-d'))).ms);
    samples.ps.push((await timeCommand(stack(project, file, 'ps'))).ms);
    samples.floor.push((await timeCommand([process.execPath, join(root, 'bench/_list-floor.cjs'), project])).ms);
  }
  samples.change.push((await timeCommand(stack(project, changed, 'up', '-d'))).ms);
  await expectEnv(`${project}-${CHANGED}-1`, run + 1, 'stack up -d (env changed)');
  await expectRunning(project, size, 'stack up -d (env changed)');
  samples.down.push((await timeCommand(stack(project, changed, 'down', '-v'))).ms);
  await expectGone(project, `stack down -v (N=${size})`);
}

async function composeRound(size, run, samples) {
  const project = newProject('c', size, run);
  const spec = makeSpec({ count: size, runId, ports: await freePorts(3), subnet: await freeSubnet(engine) });
  const { file, changed } = writeSpecFiles(project, spec, run + 1);
  const opts = { timeoutMs: COMPOSE_TIMEOUT_MS };
  const timed = async (figure, argv) => {
    const { ms, timeout } = await timeCommand(argv, opts);
    if (timeout) {
      samples[figure].push('timeout');
      return false;
    }
    samples[figure].push(ms);
    return true;
  };
  try {
    if (!(await timed('up', compose(project, file, 'up', '-d')))) return;
    for (let i = 0; i < REPEATS; i++) {
      if (!(await timed('noop', compose(project, file, 'up', '-d')))) return;
      if (!(await timed('ps', compose(project, file, 'ps')))) return;
    }
    if (!(await timed('change', compose(project, changed, 'up', '-d')))) return;
    if (await timed('down', compose(project, changed, 'down', '-v'))) await expectGone(project, `docker-compose down -v (N=${size})`);
  } finally {
    // A timed-out docker-compose leaves a half-made project; the next round must start clean.
    await sweep(engine, { runId: '-', projects: [project] });
  }
}

/** One round of an implementation; a failure is recorded once and that implementation sits out the rest of the size. */
async function guarded(label, state, fn) {
  if (state.error) return;
  try {
    await fn();
  } catch (error) {
    if (error instanceof Interrupted) throw error;
    state.error = error instanceof CommandFailed ? error.message : String(error?.stack ?? error);
    problems.push(`${label}: ${state.error}`);
    // Rounds run one at a time: whatever the run still has is this round's half-made project.
    await sweep(engine, { runId, projects });
  }
}

async function measureSize(size) {
  const runs = runsFor(size);
  const composeRuns = size >= 200 ? COMPOSE_RUNS_LARGE : runs;
  const direct = newSamples();
  const stackS = newSamples();
  const composeS = newSamples();
  const node = [];
  const states = { direct: {}, stack: {}, compose: {} };
  const rounds = [
    (run) => guarded(`direct API, N=${size}`, states.direct, () => directRound(size, run, direct)),
    (run) => guarded(`stack, N=${size}`, states.stack, () => stackRound(size, run, stackS, node)),
    (run) =>
      COMPOSE === undefined || composeS.up.includes('timeout') || run >= composeRuns
        ? undefined
        : guarded(`${COMPOSE}, N=${size}`, states.compose, () => composeRound(size, run, composeS)),
  ];
  for (let run = 0; run < runs; run++) {
    // Rotating the order spreads a drifting machine over every implementation alike.
    for (let k = 0; k < rounds.length; k++) await rounds[(run + k) % rounds.length](run);
    process.stderr.write(`  N=${size}: run ${run + 1}/${runs} done\n`);
  }
  return { size, runs, composeRuns, direct, stack: stackS, compose: composeS, node, states };
}

// ---- logs ----

async function measureLogs() {
  const project = newProject('l', LOG_SERVICES, 0);
  const composeProject = newProject('lc', LOG_SERVICES, 0);
  const spec = makeLogSpec({ count: LOG_SERVICES, lines: LOG_LINES, runId, subnet: await freeSubnet(engine) });
  const dir = join(work, project);
  mkdirSync(dir);
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, toComposeYaml(spec));
  const composeFile = join(dir, 'compose.docker-compose.yaml');
  const samples = { stack: [], docker: [], compose: [], state: {} };
  const devNull = openSync('/dev/null', 'w');
  try {
    await timeCommand(stack(project, file, 'up', '-d'));
    const names = await waitAllExited(project, LOG_SERVICES);
    // The figure only counts if stack prints every line.
    const { stdout, status, stderr } = spawnSync(stackCli()[0], [...stack(project, file, 'logs').slice(1), '--no-log-prefix'], { cwd: work, env: cleanEnv, encoding: 'utf8', maxBuffer: 64 << 20 });
    const lines = stdout.split('\n').filter((line) => line !== '').length;
    if (status !== 0 || lines !== LOG_SERVICES * LOG_LINES) throw new CommandFailed(`stack logs printed ${lines} of ${LOG_SERVICES * LOG_LINES} lines (exit ${status}): ${stderr.slice(0, 2000)}`);
    for (let run = 0; run < LOG_RUNS; run++) {
      samples.stack.push((await timeCommand(stack(project, file, 'logs'), { stdout: devNull })).ms);
      let total = 0;
      for (const name of names) total += (await timeCommand(['docker', 'logs', name], { stdout: devNull })).ms;
      samples.docker.push(total);
      if (COMPOSE !== undefined && run === 0) {
        // docker-compose needs its own containers (its labels) and its own subnet; made once, untimed.
        writeFileSync(composeFile, toComposeYaml({ ...spec, subnet: await freeSubnet(engine) }));
        await timeCommand(compose(composeProject, composeFile, 'up', '-d'), { timeoutMs: COMPOSE_TIMEOUT_MS });
        await waitAllExited(composeProject, LOG_SERVICES);
      }
      if (COMPOSE !== undefined && !samples.compose.includes('timeout')) {
        const { ms, timeout } = await timeCommand(compose(composeProject, composeFile, 'logs', '--no-color'), { stdout: devNull, timeoutMs: COMPOSE_TIMEOUT_MS });
        samples.compose.push(timeout ? 'timeout' : ms);
      }
    }
  } catch (error) {
    if (error instanceof Interrupted) throw error;
    samples.state.error = error instanceof CommandFailed ? error.message : String(error?.stack ?? error);
    problems.push(`logs: ${samples.state.error}`);
  } finally {
    closeSync(devNull);
    await sweep(engine, { runId: '-', projects: [project, composeProject] });
  }
  return samples;
}

async function waitAllExited(project, count) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    checkpoint();
    const list = await projectContainers(engine, project);
    if (list.length === count && list.every((c) => c.State === 'exited')) return list.map((c) => c.Names[0].replace(/^\//, '')).sort();
    if (Date.now() > deadline) throw new CommandFailed(`${project}: containers did not all exit within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// ---- report ----

const fmt = (ms) => (ms === undefined ? '-' : ms.toFixed(ms < 100 ? 1 : 0));

/** A figure of an implementation: the median, "timeout", "error", or "-" (not run). */
function cell(samples, state) {
  if (samples.includes('timeout')) return { text: 'timeout' };
  if (samples.length === 0) return { text: state?.error ? 'error' : '-' };
  const value = median(samples);
  return { value, text: fmt(value) };
}

function ratioText(a, b) {
  return a.value !== undefined && b.value !== undefined ? `${(a.value / b.value).toFixed(2)}x` : '-';
}

/** A table row; `target` undefined: a comparison without a target (no verdict). */
function row(figure, size, stackCell, baseCell, baseLabel, target, composeCell) {
  const ratio = stackCell.value !== undefined && baseCell.value !== undefined ? stackCell.value / baseCell.value : undefined;
  const verdict = ratio === undefined || target === undefined ? '' : ratio <= target ? 'ok' : 'OVER';
  return [
    figure,
    String(size),
    stackCell.text,
    `${baseCell.text} (${baseLabel})`,
    ratio === undefined ? '-' : `${ratio.toFixed(2)}x`,
    target === undefined ? '' : `<= ${target}x`,
    verdict,
    composeCell ? composeCell.text : COMPOSE ? '-' : 'skipped',
    composeCell ? ratioText(stackCell, composeCell) : '-',
  ];
}

function report(results, logSamples) {
  const rows = [['figure', 'N', 'stack ms', 'baseline ms', 'x base', 'target', '', 'compose ms', 'x compose']];
  const c = (r, impl, figure) => (impl === 'compose' && r.compose.up.includes('timeout') ? { text: 'timeout' } : cell(r[impl][figure], r.states[impl]));
  for (const r of results) {
    const node = cell(r.node);
    const noop = c(r, 'stack', 'noop');
    const recreate = c(r, 'direct', 'recreate');
    const changeBase = noop.value !== undefined && recreate.value !== undefined ? { value: noop.value + recreate.value, text: fmt(noop.value + recreate.value) } : { text: '-' };
    rows.push(row('cold up -d', r.size, c(r, 'stack', 'up'), c(r, 'direct', 'up'), 'direct-API script up', 1.05, c(r, 'compose', 'up')));
    rows.push(row('down -v', r.size, c(r, 'stack', 'down'), c(r, 'direct', 'down'), 'direct-API script down', 1.05, c(r, 'compose', 'down')));
    rows.push(row('no-op up -d', r.size, noop, node, 'node -e 0', 2.5, c(r, 'compose', 'noop')));
    rows.push(row('up -d, 1 env changed', r.size, c(r, 'stack', 'change'), changeBase, `no-op up ${noop.text} + direct recreate ${recreate.text}`, 1.2, c(r, 'compose', 'change')));
    rows.push(row('ps', r.size, c(r, 'stack', 'ps'), node, 'node -e 0', 2, c(r, 'compose', 'ps')));
    // The floor: Node's start plus dockerd's list, which neither figure above can go under.
    const floor = c(r, 'stack', 'floor');
    rows.push(row('  floor vs node -e 0', r.size, floor, node, 'node -e 0', undefined));
    rows.push(row('  no-op up -d vs floor', r.size, noop, floor, 'node + one container list', undefined));
    rows.push(row('  ps vs floor', r.size, c(r, 'stack', 'ps'), floor, 'node + one container list', undefined));
  }
  if (logSamples) {
    const stackLogs = cell(logSamples.stack, logSamples.state);
    const docker = cell(logSamples.docker, logSamples.state);
    rows.push(row(`logs ${(LOG_SERVICES * LOG_LINES).toLocaleString('en')} lines >/dev/null`, LOG_SERVICES, stackLogs, docker, `docker logs x${LOG_SERVICES}, in turn`, 1.0, COMPOSE ? cell(logSamples.compose, logSamples.state) : undefined));
  }
  const [load1] = loadavg();
  const runs = results.map((r) => `N=${r.size}: ${r.runs} runs${r.composeRuns < r.runs && COMPOSE ? ` (compose ${r.composeRuns})` : ''}`).join(', ');
  console.log(
    `medians; ${runs} (no-op up and ps: ${REPEATS} samples per run)${logSamples ? `; logs: ${LOG_RUNS} runs` : ''}; node ${process.version}, ${cpus().length} CPUs, ` +
      `parallel limit ${PARALLEL} (direct API and stack default), ${COMPOSE ?? 'docker-compose not installed: skipped'}, load average now ${load1.toFixed(1)}`,
  );
  printTable(rows);
  for (const [what, left] of leftovers) console.log(`note: ${what} left ${left.length} time(s) a network with "active endpoints" (dockerd endpoint leak), e.g. ${left[0]}`);
  if (problems.length > 0) {
    console.log('\nproblems:');
    for (const problem of problems) console.log(`- ${problem.replace(/\n/g, '\n    ')}`);
  }
}

// ---- main ----

let exitCode = 0;
try {
  cpSync(join(root, 'dist'), bundle, { recursive: true, filter: (path) => !path.includes(`${'dist'}/types`) });
  const image = await ensureBenchImage(engine);
  if (image === 'built') console.error('built stack-test/busybox:latest');
  const results = [];
  for (const size of SIZES) results.push(await measureSize(size));
  const logSamples = LOG_RUNS > 0 ? await measureLogs() : undefined;
  report(results, logSamples);
} catch (error) {
  exitCode = error instanceof Interrupted ? 130 : 1;
  if (!(error instanceof Interrupted)) console.error(error?.stack ?? error);
} finally {
  const left = await sweep(engine, { runId, projects }).catch((error) => ({ error }));
  if (left.error) console.error(`cleanup failed: ${left.error.message}`);
  else if (left.containers + left.networks + left.volumes > 0) console.error(`cleanup removed ${left.containers} containers, ${left.networks} networks, ${left.volumes} volumes left behind`);
  if (left.stuck?.length > 0) console.error(`cleanup could not remove (dockerd endpoint leak; they go when dockerd restarts): ${left.stuck.join(', ')}`);
  engine.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(bundle, { recursive: true, force: true });
}
process.exit(exitCode);
