// The reconcile bench's spec: N busybox services in three dependency levels (one root with a named
// volume, ~N/10 mids on it, leaves on the mids), one user-defined network, a few ports published on
// 127.0.0.1. One description feeds three consumers: the compose file given to stack and to
// docker-compose 1.29 (no top-level `name:` and no `version:`, which 1.29 reads as the Compose
// spec; the project name comes from `-p`), and the direct-API script (bench/_direct-api.mjs).
import { createServer } from 'node:net';

export const BENCH_IMAGE = 'stack-test/busybox:latest';
/** On every container, network and volume the bench makes, so the final sweep finds them all. */
export const RUN_LABEL = 'dev.stack.bench.run';
export const PROJECT_LABEL = 'com.docker.compose.project';
export const NETWORK = 'net';
export const VOLUME = 'data';
const PUBLISHED = 3;

/** Free TCP ports on 127.0.0.1, as the kernel hands them out (closed again before returning). */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/**
 * The spec as data: services in start order, each with its level, dependencies and published port.
 * `ports` are host ports for the first few services (root first, then mids).
 */
export function makeSpec({ count, runId, ports = [], subnet }) {
  const mids = Math.max(1, Math.round(count / 10));
  const leaves = count - 1 - mids;
  if (leaves < 1) throw new Error(`bench spec: ${count} services is too few for three levels`);
  const services = [{ name: 'root', level: 0, dependsOn: [], volume: true }];
  for (let i = 1; i <= mids; i++) services.push({ name: `mid${i}`, level: 1, dependsOn: ['root'] });
  for (let i = 1; i <= leaves; i++) services.push({ name: `leaf${i}`, level: 2, dependsOn: [`mid${((i - 1) % mids) + 1}`] });
  services.slice(0, Math.min(PUBLISHED, ports.length)).forEach((service, index) => (service.port = ports[index]));
  for (const service of services) {
    service.command = ['sleep', '3600'];
    service.env = { BENCH_REV: '0' };
    service.init = true;
  }
  return { runId, services, network: NETWORK, volume: VOLUME, subnet };
}

/** The spec where one leaf's environment changed: what `up` has to reconcile by recreating one container. */
export function withChangedEnv(spec, serviceName, rev) {
  return {
    ...spec,
    services: spec.services.map((service) => (service.name === serviceName ? { ...service, env: { ...service.env, BENCH_REV: String(rev) } } : service)),
  };
}

/** The `seq` spec of the logs figure: `count` services printing `lines` lines each, then exiting. */
export function makeLogSpec({ count, lines, runId, subnet }) {
  const services = [];
  for (let i = 1; i <= count; i++) services.push({ name: `printer${i}`, level: 0, dependsOn: [], command: ['seq', '1', String(lines)], env: {} });
  return { runId, services, network: NETWORK, subnet };
}

const q = (value) => JSON.stringify(String(value));

/** Compose-file text accepted by stack and by docker-compose 1.29 alike. */
export function toComposeYaml(spec) {
  const lines = ['services:'];
  for (const service of spec.services) {
    lines.push(`  ${service.name}:`, `    image: ${BENCH_IMAGE}`, `    command: [${service.command.map(q).join(', ')}]`);
    if (service.init) lines.push('    init: true');
    const env = Object.entries(service.env);
    if (env.length > 0) lines.push('    environment:', ...env.map(([key, value]) => `      ${key}: ${q(value)}`));
    lines.push('    labels:', `      ${RUN_LABEL}: ${q(spec.runId)}`);
    if (spec.network) lines.push('    networks:', `      - ${spec.network}`);
    if (service.volume) lines.push('    volumes:', `      - ${spec.volume}:/data`);
    if (service.port !== undefined) lines.push('    ports:', `      - ${q(`127.0.0.1:${service.port}:80`)}`);
    if (service.dependsOn.length > 0) lines.push('    depends_on:', ...service.dependsOn.map((name) => `      - ${name}`));
  }
  if (spec.network) lines.push('networks:', `  ${spec.network}:`, '    labels:', `      ${RUN_LABEL}: ${q(spec.runId)}`);
  if (spec.network && spec.subnet) lines.push('    ipam:', '      config:', `        - subnet: ${spec.subnet}`);
  if (spec.volume) lines.push('volumes:', `  ${spec.volume}:`, '    labels:', `      ${RUN_LABEL}: ${q(spec.runId)}`);
  return lines.join('\n') + '\n';
}

/** Services grouped by level, level 0 first. */
export function levelsOf(spec) {
  const levels = [];
  for (const service of spec.services) (levels[service.level] ??= []).push(service);
  return levels.filter(Boolean);
}
