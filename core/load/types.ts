// What the loader takes and gives. The loader's stages (core/load/README.md) turn files on disk
// into one plain data tree plus the SourceMap that says where each key was written.
import type { SourceMap } from './source-map.js';
import type { SpecReads } from './spec-reads.js';

export interface LoadOptions {
  /** `-f` values in order; `-` reads the spec from stdin. Empty = COMPOSE_FILE, else discovery. */
  files: string[];
  /** `--project-directory`; default: the directory of the first spec file. */
  projectDirectory?: string;
  /** `-p`; an invalid explicit name is an error. */
  projectName?: string;
  /** `--env-file`, repeatable; default: `<project dir>/.env` when it exists. */
  envFiles: string[];
  /** The shell environment (process.env in the CLI); always wins over .env files. */
  environment: Record<string, string | undefined>;
  /** Where discovery starts (walking up to the root). */
  cwd: string;
  /** `config --no-interpolate`: keep `${VAR}` as written. */
  interpolate: boolean;
  /** Reads stdin for `-f -`. */
  readStdin?: () => Promise<string>;
  /** Where parsed files are cached by content hash (core/load/parse-cache.ts); absent = no cache. */
  parseCacheDirectory?: string;
  /** Every look at the disk goes through this (core/load/spec-reads.ts); absent = plain reads, unrecorded. */
  reads?: SpecReads;
}

export interface LoadedSpec {
  projectName: string;
  /** Absolute project directory. */
  workingDir: string;
  /** Absolute spec file paths in merge order (stdin shows as `-`). */
  configFiles: string[];
  /** Every file read: spec files, extends/include sources, .env and --env-file files. */
  sourceFiles: string[];
  /**
   * The merged spec as plain data: interpolated, `extends` and `include` resolved (their
   * relative paths already rebased to absolute), `!reset`/`!override` applied, legacy v1
   * files turned into `services:`. Still raw: short syntaxes are expanded later by the model.
   */
  data: Record<string, unknown>;
  sources: SourceMap;
  /** Variables for interpolation and `environment: [VAR]` pass-through: shell over .env. */
  environment: Record<string, string>;
  /** Positioned, human-readable warnings (unset variables, obsolete `version`). */
  warnings: string[];
}
