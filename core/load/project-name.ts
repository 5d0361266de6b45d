// Stage: the project name. Precedence (compose-go `withNamePrecedenceLoad`): `-p` >
// COMPOSE_PROJECT_NAME > the last top-level `name:` across files > the project directory's
// basename. Names given explicitly must already be valid; a directory name is normalised.
import path from 'node:path';
import { SpecError, type SpecProblem } from '../errors.js';
import type { SourceMap } from './source-map.js';

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

export function isValidProjectName(name: string): boolean {
  return VALID.test(name);
}

/** Lowercase, keep `[a-z0-9_-]`, drop leading characters that are not `[a-z0-9]`. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

export interface ProjectNameInput {
  /** `-p`. */
  explicit?: string;
  /** COMPOSE_PROJECT_NAME from the shell environment or the .env file. */
  fromEnvironment?: string;
  /** The last top-level `name:` across the spec files, with the map that knows where it was written. */
  fromSpec?: { name: string; sources: SourceMap };
  workingDir: string;
}

export function resolveProjectName(input: ProjectNameInput): string {
  if (input.explicit !== undefined && input.explicit !== '') return checked(input.explicit, () => ({ message: `invalid project name "${input.explicit}" (from -p)` }));
  if (input.fromEnvironment) return checked(input.fromEnvironment, () => ({ message: `invalid project name "${input.fromEnvironment}" (from COMPOSE_PROJECT_NAME)` }));
  if (input.fromSpec && input.fromSpec.name !== '') {
    const { name, sources } = input.fromSpec;
    return checked(name, () => sources.problem(['name'], `invalid project name "${name}"`));
  }
  const base = path.basename(path.resolve(input.workingDir));
  const normalized = normalizeProjectName(base);
  if (normalized === '') {
    throw new SpecError('PROJECT_NAME', { message: `cannot derive a project name from the directory "${input.workingDir}"` }, {
      hint: 'pass -p <name> or set `name:` at the top of the spec (lowercase letters, digits, `-` and `_`)',
    });
  }
  return normalized;
}

/** `name` if valid; the problem is made only for an invalid name (locating it costs a lookup of positions). */
function checked(name: string, problem: () => SpecProblem): string {
  if (isValidProjectName(name)) return name;
  const suggestion = normalizeProjectName(name);
  const rule = 'a project name uses lowercase letters, digits, `-` and `_`, and starts with a letter or digit';
  const hint = suggestion === '' ? rule : `${rule}: use "${suggestion}"`;
  throw new SpecError('PROJECT_NAME', { ...problem(), hint });
}
