#!/usr/bin/env node
// Issue 2 figures: start-up of the CLI and `config -q` on a 200-service spec, as multiples of a
// bare `node -e 0` measured in the same run (absolute times depend on the machine; ratios less).
// Targets: --version within 1.3x node, `config -q` on 200 services within 3x node.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printTable } from './_measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/stack.cjs'))) {
  console.error('dist/stack.cjs is missing: run `npm run build` first (npm run bench does)');
  process.exit(1);
}

const SERVICES = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

/** A spec shaped like real ones: images, ports, env, volumes, healthchecks, dependency chains. */
function generateSpec(count) {
  const lines = ['name: bench', 'services:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: registry.example.com/team/svc${i}:\${TAG:-1.${i}}`,
      '    restart: unless-stopped',
      '    ports:',
      `      - "127.0.0.1:${10000 + i}:8080"`,
      '    environment:',
      `      SERVICE_NAME: svc${i}`,
      '      LOG_LEVEL: ${LOG_LEVEL:-info}',
      '    labels:',
      `      com.example.tier: "${i % 3 === 0 ? 'front' : 'back'}"`,
      '    volumes:',
      `      - data${i % 10}:/var/lib/data`,
      `      - ./config/svc${i}:/etc/svc:ro`,
      '    healthcheck:',
      '      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]',
      '      interval: 10s',
      '      timeout: 2s',
      '      retries: 3',
    );
    if (i % 10 !== 0) lines.push('    depends_on:', `      svc${i - (i % 10)}:`, '        condition: service_healthy');
    if (i % 50 === 49) lines.push('    profiles: [extra]');
  }
  lines.push('volumes:');
  for (let v = 0; v < 10; v++) lines.push(`  data${v}: {}`);
  return lines.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'stack-bench-'));
try {
  writeFileSync(join(dir, 'compose.yaml'), generateSpec(SERVICES));
  // A private copy of the bundle: a rebuild in the shared tree mid-run must not break the figures.
  // (dockerode stays unresolvable from there, and no verb measured here loads it.)
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true, filter: (path) => !path.includes(`${'dist'}/types`) });
  const cli = join(dir, 'dist/stack.cjs');
  const node = process.execPath;
  const commands = [
    { label: 'node -e 0', argv: [node, '-e', '0'] },
    { label: 'stack --version', argv: [node, cli, '--version'], target: 1.3 },
    { label: 'stack version (commander)', argv: [node, cli, 'version'] },
    { label: `stack config -q (${SERVICES} services)`, argv: [node, cli, 'config', '-q'], target: 3 },
    { label: `stack config (${SERVICES} services)`, argv: [node, cli, 'config'] },
  ];
  const times = measure(commands, { runs: RUNS, cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const base = times[0];
  const rows = [['command', 'median ms', 'x node', 'min ms', 'x node (min)', 'target', '']];
  commands.forEach((command, index) => {
    const { median, min } = times[index];
    const ratio = median / base.median;
    const verdict = command.target === undefined ? '' : ratio <= command.target ? 'ok' : 'over';
    const target = command.target ? `${command.target}x` : '';
    rows.push([command.label, median.toFixed(1), `${ratio.toFixed(2)}x`, min.toFixed(1), `${(min / base.min).toFixed(2)}x`, target, verdict]);
  });
  const [load1] = loadavg();
  console.log(`${RUNS} runs each (interleaved), node ${process.version}, ${cpus().length} CPUs, load average ${load1.toFixed(1)}`);
  printTable(rows);
  if (load1 > cpus().length) console.log('note: the machine is busy; ratios are inflated (the min columns suffer least)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
