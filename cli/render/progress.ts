// Picks the progress renderer for `--progress auto|tty|plain|json|quiet`, as Compose's
// cmd/display/mode.go does: live frames only on a real terminal outside CI, lines otherwise.
import { UsageError } from '../../core/errors.js';
import { shouldUseColor } from './color.js';
import { JsonProgressRenderer } from './progress-json.js';
import { PlainProgressRenderer } from './progress-plain.js';
import { QuietProgressRenderer } from './progress-quiet.js';
import type { OutputStream, ProgressRenderer } from './progress-text.js';

export type { OutputStream, ProgressRenderer } from './progress-text.js';

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];
export type ResolvedProgressMode = Exclude<ProgressMode, 'auto'>;

export function isProgressMode(value: string): value is ProgressMode {
  return (PROGRESS_MODES as readonly string[]).includes(value);
}

export interface ProgressModeInput {
  requested: ProgressMode;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** `auto` means tty on an interactive terminal, plain in CI, on `TERM=dumb` and in pipes. */
export function resolveProgressMode(input: ProgressModeInput): ResolvedProgressMode {
  if (input.requested !== 'auto') return input.requested;
  if (!input.isTTY) return 'plain';
  if (isCI(input.env)) return 'plain';
  if (input.env['TERM'] === 'dumb') return 'plain';
  return 'tty';
}

/** The CI variables set by the common providers (GitHub, GitLab, Buildkite, Jenkins, CircleCI, Travis...). */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'];
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return true;
  return ['CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'JENKINS_URL', 'TEAMCITY_VERSION'].some(
    (name) => Boolean(env[name]),
  );
}

export interface CreateProgressOptions {
  /** Raw `--progress` value; validated here so every command reports a bad value the same way. */
  mode: ProgressMode | string;
  /** Where progress goes: process.stderr in the CLI (stdout stays clean for data, as in Compose). */
  stream: OutputStream;
  /** The other terminal stream, held back while tty frames are live. */
  otherStream?: OutputStream;
  env: NodeJS.ProcessEnv;
  /** `--ansi always|never` / `--no-color`; undefined means decide from NO_COLOR/FORCE_COLOR and the stream. */
  color?: boolean;
  /** Plain mode: prefix lines with timestamps. */
  timestamps?: boolean;
}

/** The renderer for the mode; the terminal one (listr2) is loaded only when a terminal will show it. */
export async function createProgressRenderer(options: CreateProgressOptions): Promise<ProgressRenderer> {
  if (!isProgressMode(options.mode)) {
    throw new UsageError(`invalid --progress value "${options.mode}"`, `use one of: ${PROGRESS_MODES.join(', ')}`);
  }
  // Nothing to show: the stream is not even looked at (setting up a piped stderr costs a few ms).
  if (options.mode === 'quiet') return new QuietProgressRenderer();
  const isTTY = options.stream.isTTY === true;
  // A terminal that reports zero columns (some CI ptys, `script` without a size) would get empty frames.
  const drawable = isTTY && options.stream.columns !== 0;
  const mode = resolveProgressMode({ requested: options.mode, isTTY: drawable, env: options.env });
  const color = shouldUseColor({ flag: options.color, env: options.env, isTTY });
  switch (mode) {
    case 'tty': {
      const { TtyProgressRenderer } = await import('./progress-tty.js');
      return new TtyProgressRenderer({ stream: options.stream, otherStream: options.otherStream, color });
    }
    case 'plain':
      return new PlainProgressRenderer({ stream: options.stream, color, timestamps: options.timestamps });
    case 'json':
      return new JsonProgressRenderer({ stream: options.stream });
    case 'quiet':
      return new QuietProgressRenderer();
  }
}
