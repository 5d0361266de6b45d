// The error vocabulary of `stack`. Every failure a user can cause or meet is one of these
// classes: it carries a stable `code`, a message in user words, an optional hint and, for
// spec problems, the place in the spec. The CLI renders them (cli/render/error.ts) and maps
// `exitCode` to the process status; a stack trace is shown only with --debug.

/** A position in a spec file. Lines and columns are 1-based, as editors show them. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
  /** Where the offending node ends, when known (for a caret run under it). */
  endLine?: number;
  endCol?: number;
}

/** A key path into the spec: `['services', 'web', 'ports', 0]`. */
export type KeyPath = readonly (string | number)[];

/** `services.web.ports[0]`: how paths are printed to users. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

export type ErrorCode =
  | 'SPEC_NOT_FOUND'
  | 'SPEC_UNREADABLE'
  | 'SPEC_EMPTY'
  | 'YAML_SYNTAX'
  | 'SPEC_INVALID'
  | 'INTERPOLATION'
  | 'EXTENDS'
  | 'INCLUDE'
  | 'DEPENDENCY_CYCLE'
  | 'UNKNOWN_SERVICE'
  | 'PROJECT_NAME'
  | 'USAGE'
  | 'ENGINE_UNREACHABLE'
  | 'ENGINE'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'TIMEOUT'
  | 'SERVICE_FAILED'
  | 'INTERNAL';

export interface StackErrorOptions {
  hint?: string;
  cause?: unknown;
  exitCode?: number;
}

export class StackError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: StackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/** One problem at one place in a spec file. */
export interface SpecProblem {
  message: string;
  path?: KeyPath;
  location?: SourceLocation;
  hint?: string;
  /** A few lines of the file around the location, with a caret; made where the source text is known. */
  frame?: string;
}

/**
 * A problem with the spec the user wrote, pointing at the file, line and key.
 * One SpecError may hold several problems so that all mistakes of a file are reported at once.
 */
export class SpecError extends StackError {
  readonly problems: readonly SpecProblem[];

  constructor(code: ErrorCode, problems: SpecProblem | readonly SpecProblem[], options: StackErrorOptions = {}) {
    const list = Array.isArray(problems) ? (problems as readonly SpecProblem[]) : [problems as SpecProblem];
    super(code, list.map(describeProblem).join('\n'), { ...options, hint: options.hint ?? list[0]?.hint });
    this.problems = list;
  }

  get location(): SourceLocation | undefined {
    return this.problems[0]?.location;
  }

  override toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, problems: this.problems };
  }
}

/** `compose.yaml:12:7: services.web.ports[0]: <message>` */
export function describeProblem(problem: SpecProblem): string {
  const where = problem.location ? `${problem.location.file}:${problem.location.line}:${problem.location.col}: ` : '';
  const path = problem.path && problem.path.length > 0 ? `${formatKeyPath(problem.path)}: ` : '';
  return `${where}${path}${problem.message}`;
}

export class DependencyCycleError extends SpecError {
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[], location?: SourceLocation) {
    super(
      'DEPENDENCY_CYCLE',
      {
        message: `dependency cycle between services: ${cycle.join(' -> ')}`,
        path: ['services', cycle[0] ?? ''],
        ...(location ? { location } : {}),
        hint: 'remove one of the depends_on / links / volumes_from / network_mode references in the cycle',
      },
    );
    this.cycle = cycle;
  }
}

/** A call to the Docker engine failed; names the operation, the resource and the engine's words. */
export class EngineError extends StackError {
  readonly operation: string;
  readonly resource: string | undefined;
  readonly statusCode: number | undefined;

  constructor(options: { operation: string; resource?: string; statusCode?: number; message: string; hint?: string; cause?: unknown; code?: ErrorCode }) {
    const subject = options.resource ? `${options.operation} ${options.resource}` : options.operation;
    super(options.code ?? 'ENGINE', `${subject}: ${options.message}`, { hint: options.hint, cause: options.cause });
    this.operation = options.operation;
    this.resource = options.resource;
    this.statusCode = options.statusCode;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, resource: this.resource, statusCode: this.statusCode };
  }
}

/** True for an engine "no such ..." answer (HTTP 404): removes treat it as "already gone". */
export function isNotFound(error: unknown): boolean {
  return error instanceof EngineError && (error.statusCode === 404 || error.code === 'NOT_FOUND');
}

/** True for an engine 409: name already in use, removal already in progress, container not running. */
export function isConflict(error: unknown): boolean {
  return error instanceof EngineError && (error.statusCode === 409 || error.code === 'CONFLICT');
}

export class UsageError extends StackError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, { hint, exitCode: 1 });
  }
}

/** A bug in stack itself: the message asks for a report rather than blaming the spec. */
export class InternalError extends StackError {
  constructor(message: string, cause?: unknown) {
    super('INTERNAL', message, { cause, hint: 'this is a bug in stack: please report it with the output of --debug' });
  }
}

/** Turns anything thrown into a StackError so the CLI has one thing to render. */
export function toStackError(error: unknown): StackError {
  if (error instanceof StackError) return error;
  if (error instanceof Error) return new InternalError(error.message, error);
  return new InternalError(String(error));
}
