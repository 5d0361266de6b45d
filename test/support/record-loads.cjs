// Preloaded with `node --require` by tests that check what a command loads: every bundle the
// CLI's loader runs (cli/bundle-loader.ts publishes them) and every file Node's require() loads
// is appended to the file named by STACK_LOAD_LOG (see loaded-modules.ts).
const { subscribe } = require('node:diagnostics_channel');
const { appendFileSync } = require('node:fs');
const Module = require('node:module');

const log = process.env.STACK_LOAD_LOG;
if (log) {
  subscribe('stack:load-bundle', ({ file }) => appendFileSync(log, `${file}\n`));
  const load = Module._load;
  Module._load = function recordingLoad(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    if (!Module.isBuiltin(request)) {
      try {
        appendFileSync(log, `${Module._resolveFilename(request, parent, isMain)}\n`);
      } catch {
        // resolved by load() above, so this cannot fail; a log line less is harmless anyway
      }
    }
    return exports;
  };
}
