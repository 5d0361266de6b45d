// Preloaded with `node --import` by tests that check what a command loads: every module URL
// the process resolves is appended to the file named by STACK_IMPORT_LOG (see loaded-modules.ts).
import { register } from 'node:module';

register(new URL('./record-imports-hooks.mjs', import.meta.url), { data: { log: process.env.STACK_IMPORT_LOG } });
