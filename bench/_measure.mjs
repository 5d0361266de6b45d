// Shared helpers for bench files (files starting with `_` are not benches themselves).
import { spawnSync } from 'node:child_process';

/** Wall time in ms of one run of `argv`; throws if it exits with another status than expected. */
export function timeOnce(argv, { cwd, env, expectStatus = 0 } = {}) {
  const [command, ...args] = argv;
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== expectStatus) {
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr?.toString().slice(0, 2000)}`);
  }
  return ms;
}

/**
 * Median and minimum ms of each command over `runs` runs, after one warm-up run each. Runs are
 * interleaved (round-robin) so that load drifting on a shared machine hits every command alike;
 * the minimum is the figure least disturbed by other processes.
 */
export function measure(commands, { runs = 15, cwd, env } = {}) {
  for (const command of commands) timeOnce(command.argv, { cwd, env });
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach((command, index) => samples[index].push(timeOnce(command.argv, { cwd, env })));
  }
  return samples.map((times) => {
    const sorted = times.sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] };
  });
}

export function printTable(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  for (const row of rows) console.log(row.map((cell, column) => String(cell).padEnd(widths[column])).join('  ').trimEnd());
}
