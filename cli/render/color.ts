// Colour decisions are made once per renderer from explicit inputs (flag, env, stream),
// never from module-level state, so tests and `--no-color` behave the same everywhere.
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export interface ColorChoice {
  /** An explicit `--color`/`--no-color`/`--ansi` decision wins over everything else. */
  flag?: boolean;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
}

/** NO_COLOR (any non-empty value) disables colour; FORCE_COLOR (not "0") enables it; otherwise only on a TTY. */
export function shouldUseColor(choice: ColorChoice): boolean {
  if (choice.flag !== undefined) return choice.flag;
  const env = choice.env ?? {};
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env['TERM'] === 'dumb') return false;
  return choice.isTTY === true;
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
