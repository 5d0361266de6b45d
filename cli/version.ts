// The version is written into the bundle by scripts/build.mjs, so `--version` reads no file.
// (cli/main.ts answers a lone `--version` itself with the same text, to load nothing more.)
declare const __STACK_VERSION__: string | undefined;

export const VERSION: string = typeof __STACK_VERSION__ === 'string' ? __STACK_VERSION__ : '0.0.0-dev';
export const VERSION_TEXT = `stack version ${VERSION}`;
