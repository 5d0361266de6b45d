// The project a label-only verb (ps, logs, exec, port, top, images, wait) acts on, found without
// loading the spec: `-p` > COMPOSE_PROJECT_NAME (shell, then .env / --env-file) > the top-level
// `name:` of the spec files > the project directory's name, as Compose resolves it. A spec that
// is broken elsewhere (bad YAML further down, an invalid service) does not stop `ps` from
// answering: only the `name:` line is read, and the full loader runs only for `name: ${VAR}`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SpecError } from '../errors.js';
import { discoverFiles, STDIN } from '../load/discover.js';
import { isValidProjectName, normalizeProjectName, resolveProjectName } from '../load/project-name.js';
import type { LoadOptions } from '../load/types.js';

export type ProjectRefOptions = Pick<LoadOptions, 'files' | 'projectDirectory' | 'projectName' | 'envFiles' | 'environment' | 'cwd' | 'readStdin'>;

export interface ProjectRef {
  name: string;
  /** Absolute project directory (the first spec file's directory, or cwd without a spec). */
  workingDir: string;
  /** Spec files found (absolute), empty when none was found and the name came from elsewhere. */
  configFiles: string[];
}

const NAME_LINE = /^name[ \t]*:[ \t]*(.*)$/m;

export async function resolveProjectRef(options: ProjectRefOptions): Promise<ProjectRef> {
  const cwd = path.resolve(options.cwd);
  const explicit = options.projectName;
  const found = await discover(options, cwd, explicit !== undefined || options.environment.COMPOSE_PROJECT_NAME !== undefined);
  const workingDir = found?.workingDir ?? (options.projectDirectory ? path.resolve(cwd, options.projectDirectory) : cwd);
  const configFiles = found?.files ?? [];
  const ref = (name: string): ProjectRef => ({ name, workingDir, configFiles });

  if (explicit) return ref(resolveProjectName({ explicit, workingDir }));
  const fromShell = options.environment.COMPOSE_PROJECT_NAME;
  if (fromShell) return ref(resolveProjectName({ fromEnvironment: fromShell, workingDir }));
  const fromEnvFile = await envFileProjectName(options, cwd, workingDir);
  if (fromEnvFile) return ref(resolveProjectName({ fromEnvironment: fromEnvFile, workingDir }));
  const fromSpec = await specName(options, configFiles);
  if (fromSpec !== undefined) {
    if (!isValidProjectName(fromSpec)) {
      throw new SpecError('PROJECT_NAME', { message: `invalid project name "${fromSpec}" (top-level name: in ${configFiles.join(', ')})` }, {
        hint: `a project name uses lowercase letters, digits, \`-\` and \`_\`${normalizeProjectName(fromSpec) ? `: use "${normalizeProjectName(fromSpec)}"` : ''}`,
      });
    }
    return ref(fromSpec);
  }
  return ref(resolveProjectName({ workingDir }));
}

/** Without -p a missing spec is the user's error; with a name already known it does not matter. */
async function discover(options: ProjectRefOptions, cwd: string, nameKnown: boolean): Promise<{ files: string[]; workingDir: string } | undefined> {
  try {
    return await discoverFiles({
      files: options.files,
      cwd,
      environment: options.environment,
      ...(options.projectDirectory ? { projectDirectory: options.projectDirectory } : {}),
    });
  } catch (error) {
    if (nameKnown || (error instanceof SpecError && error.code === 'SPEC_NOT_FOUND' && options.files.length === 0)) return undefined;
    throw error;
  }
}

async function envFileProjectName(options: ProjectRefOptions, cwd: string, workingDir: string): Promise<string | undefined> {
  const files = options.envFiles.length > 0 ? options.envFiles.map((file) => path.resolve(cwd, file)) : [path.join(workingDir, '.env')];
  let value: string | undefined;
  for (const file of files) {
    const text = readOptional(file);
    // The dotenv parser (and the YAML library it pulls in) is loaded only when the variable is there.
    if (text === undefined || !text.includes('COMPOSE_PROJECT_NAME')) continue;
    const { parseDotenv } = await import('../load/dotenv.js');
    const parsed = parseDotenv(text, file, (name) => options.environment[name]);
    value = parsed.COMPOSE_PROJECT_NAME ?? value;
  }
  return value || undefined;
}

/** The last top-level `name:` across the spec files, read as text. */
async function specName(options: ProjectRefOptions, files: string[]): Promise<string | undefined> {
  let name: string | undefined;
  let interpolated = false;
  for (const file of files) {
    const text = file === STDIN ? await options.readStdin?.() : readOptional(file);
    const match = text === undefined ? null : NAME_LINE.exec(text);
    if (!match) continue;
    const value = unquote(match[1] ?? '');
    if (value === '') continue;
    name = value;
    interpolated = value.includes('$');
  }
  if (name === undefined || !interpolated) return name;
  return interpolatedName(options);
}

/** `name: ${PROJECT}`: only the loader knows the variables; a spec it cannot load falls back to the directory. */
async function interpolatedName(options: ProjectRefOptions): Promise<string | undefined> {
  try {
    const { loadSpec } = await import('../load/index.js');
    const spec = await loadSpec({ ...options, interpolate: true });
    return spec.projectName;
  } catch {
    return undefined;
  }
}

function unquote(value: string): string {
  let text = value.trim();
  if (text.startsWith('"') || text.startsWith("'")) {
    const quote = text[0]!;
    const end = text.indexOf(quote, 1);
    return end > 0 ? text.slice(1, end) : text.slice(1);
  }
  const comment = text.search(/\s#/);
  if (comment >= 0) text = text.slice(0, comment);
  return text.trim();
}

/** A small file's text, or undefined when it cannot be read. Synchronous: cheaper than a trip through the thread pool (and node:fs/promises is then never loaded). */
function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
