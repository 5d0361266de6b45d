// Compose's global flags as data: what they are called, whether they take a value, their help.
// Apart from their commander wiring (cli/global-options.ts) because the launcher (cli/main.ts)
// must find the verb in argv, skipping these flags and their values, before anything is loaded.

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
export type AnsiMode = 'never' | 'always' | 'auto';

export interface GlobalFlag {
  short?: string;
  long: string;
  value?: string;
  description: string;
  /** Repeatable flag, collected into an array. */
  repeatable?: boolean;
  choices?: readonly string[];
  env?: string;
  /** The rule that reads the value (cli/global-options.ts); else it is kept as a string. */
  parse?: 'parallel';
}

const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'tty', 'plain', 'json', 'quiet'];
const ANSI_MODES: readonly AnsiMode[] = ['never', 'always', 'auto'];

export const GLOBAL_FLAGS: readonly GlobalFlag[] = [
  { short: '-f', long: '--file', value: '<path>', description: 'compose file (repeatable; "-" reads stdin)', repeatable: true },
  { short: '-p', long: '--project-name', value: '<name>', description: 'project name' },
  { long: '--project-directory', value: '<dir>', description: 'project directory (default: the directory of the first compose file)' },
  { long: '--env-file', value: '<path>', description: 'environment file (repeatable)', repeatable: true },
  { long: '--profile', value: '<name>', description: 'enable a profile (repeatable; default: COMPOSE_PROFILES)', repeatable: true },
  { long: '--progress', value: '<mode>', description: 'progress output', choices: PROGRESS_MODES, env: 'COMPOSE_PROGRESS' },
  { long: '--ansi', value: '<when>', description: 'control characters and colours', choices: ANSI_MODES, env: 'COMPOSE_ANSI' },
  { long: '--parallel', value: '<n>', description: 'maximum parallel operations (-1 = unlimited)', env: 'COMPOSE_PARALLEL_LIMIT', parse: 'parallel' },
  { long: '--dry-run', description: 'show what would be done without changing anything' },
  { long: '--debug', description: 'show stack traces, and each engine call with its time' },
];

/** Whether a global flag (`-f`, `--project-name`...) takes the next word as its value. */
export function globalOptionTakesValue(flag: string): boolean {
  return GLOBAL_FLAGS.some((spec) => spec.value !== undefined && (flag === spec.long || flag === spec.short));
}
