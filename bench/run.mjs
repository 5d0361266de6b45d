#!/usr/bin/env node
// `npm run bench [-- name...]`: runs bench/<name>.mjs for each name given, or every bench file.
// Each bench file is a standalone script that prints its own table and exits 0 (figures are
// reported against targets, not asserted: machines differ).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.mjs') && file !== 'run.mjs' && !file.startsWith('_'))
  .map((file) => file.slice(0, -'.mjs'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(1);
}

let failed = false;
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n# bench: ${name}`);
  const result = spawnSync(process.execPath, [join(here, `${name}.mjs`)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
