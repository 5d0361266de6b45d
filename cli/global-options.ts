// Compose's global flags (the table: cli/global-flags.ts), attached twice: to the program (flags
// before the verb) and, hidden, to every verb (flags after it), minus the names a verb uses for
// itself: `logs -f` is --follow and `down -v` is --volumes, as with cobra's shadowing in Compose.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { GLOBAL_FLAGS, type AnsiMode, type GlobalFlag, type ProgressMode } from './global-flags.js';

export type { AnsiMode, ProgressMode } from './global-flags.js';

export interface GlobalOptions {
  /** `-f`, in order; `-` = stdin. */
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  envFiles: string[];
  /** `--profile` flags only; COMPOSE_PROFILES is applied after loading (it may come from .env). */
  profiles: string[];
  progress: ProgressMode;
  ansi: AnsiMode;
  /** Maximum parallel engine operations; undefined = unlimited. */
  parallel?: number;
  dryRun: boolean;
  debug: boolean;
}

function parseParallel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || (n < 1 && n !== -1)) throw new InvalidArgumentError('expected a positive integer or -1.');
  return n;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** How a flag's value is read, by the rule its table entry names. */
const PARSERS: Record<NonNullable<GlobalFlag['parse']>, (value: string) => unknown> = { parallel: parseParallel };

function makeOption(spec: GlobalFlag, flags: string): Option {
  const option = new Option(flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.repeatable) option.argParser(collect);
  else if (spec.parse) option.argParser(PARSERS[spec.parse]);
  if (spec.env) option.env(spec.env);
  return option;
}

/** The global options of the program itself. */
export function addGlobalOptions(program: Command): void {
  for (const spec of GLOBAL_FLAGS) {
    const names = spec.short ? `${spec.short}, ${spec.long}` : spec.long;
    program.addOption(makeOption(spec, spec.value ? `${names} ${spec.value}` : names));
  }
}

/**
 * Lets global flags follow the verb too (`stack config -f a.yaml`). Call after the verb's own
 * options are defined: a flag the verb already uses keeps the verb's meaning.
 */
export function inheritGlobalOptions(command: Command): void {
  const taken = new Set(command.options.flatMap((option) => [option.short, option.long].filter((name): name is string => !!name)));
  for (const spec of GLOBAL_FLAGS) {
    const names = [spec.short, spec.long].filter((name): name is string => !!name && !taken.has(name));
    if (!names.includes(spec.long)) continue;
    const flags = names.join(', ') + (spec.value ? ` ${spec.value}` : '');
    command.addOption(makeOption(spec, flags).hideHelp());
  }
}

type RawOptions = Record<string, unknown>;

/** Global flags given before and after the verb; repeatable ones add up, single ones: the later wins. */
export function readGlobalOptions(program: Command, command?: Command): GlobalOptions {
  const before: RawOptions = program.opts();
  const after: RawOptions = command && command !== program ? command.opts() : {};
  const list = (key: string): string[] => [...asList(before[key]), ...asList(after[key])];
  const single = <T>(key: string): T | undefined => (after[key] ?? before[key]) as T | undefined;
  const parallel = single<number>('parallel');
  return {
    files: list('file'),
    projectName: single<string>('projectName'),
    projectDirectory: single<string>('projectDirectory'),
    envFiles: list('envFile'),
    profiles: list('profile'),
    progress: single<ProgressMode>('progress') ?? 'auto',
    ansi: single<AnsiMode>('ansi') ?? 'auto',
    parallel: parallel === undefined || parallel === -1 ? undefined : parallel,
    dryRun: single<boolean>('dryRun') ?? false,
    debug: single<boolean>('debug') ?? false,
  };
}

function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}
