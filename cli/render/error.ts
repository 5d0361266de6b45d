// Turns a StackError into what the user reads on stderr. Spec problems read like compiler
// errors (`file:line:col: key.path: message`, a code frame, a hint) so that editors and
// terminals can jump to them; a stack trace is shown only with --debug.
import { relative, isAbsolute } from 'node:path';
import picocolors from 'picocolors';
import { SpecError, toStackError, formatKeyPath, type SourceLocation, type SpecProblem } from '../../core/errors.js';

export interface RenderOptions {
  color: boolean;
  debug: boolean;
  /** Locations under this directory are printed relative to it. */
  cwd?: string;
}

type Colors = ReturnType<typeof picocolors.createColors>;

export function renderError(error: unknown, options: RenderOptions): string {
  const c = picocolors.createColors(options.color);
  const stackError = toStackError(error);
  const lines: string[] = [];
  if (stackError instanceof SpecError && stackError.problems.length > 0) {
    const shownHints = new Set<string>();
    stackError.problems.forEach((problem, index) => {
      if (index > 0) lines.push('');
      lines.push(...renderProblem(problem, c, options.cwd));
      if (problem.hint) shownHints.add(problem.hint);
    });
    if (stackError.hint && !shownHints.has(stackError.hint)) lines.push(hintLine(stackError.hint, c));
  } else {
    lines.push(`${c.red(c.bold('error:'))} ${stackError.message}`);
    if (stackError.hint) lines.push(hintLine(stackError.hint, c));
  }
  if (options.debug) lines.push('', ...debugLines(error, c));
  return lines.join('\n') + '\n';
}

export function renderProblem(problem: SpecProblem, c: Colors, cwd?: string): string[] {
  const where = problem.location ? c.bold(`${formatLocation(problem.location, cwd)}: `) : `${c.red(c.bold('error:'))} `;
  const path = problem.path && problem.path.length > 0 ? c.cyan(`${formatKeyPath(problem.path)}: `) : '';
  const lines = [`${where}${path}${problem.message}`];
  if (problem.frame) lines.push(...problem.frame.split('\n').map((line) => colorFrameLine(line, c)));
  if (problem.hint) lines.push(hintLine(problem.hint, c));
  return lines;
}

export function formatLocation(location: SourceLocation, cwd?: string): string {
  return `${displayPath(location.file, cwd)}:${location.line}:${location.col}`;
}

/** Relative when under the working directory (shorter, and still clickable in terminals). */
export function displayPath(file: string, cwd?: string): string {
  if (!cwd || !isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function colorFrameLine(line: string, c: Colors): string {
  if (line.startsWith('>')) return c.bold(line);
  // The caret line is the only one without a line number before the bar.
  if (/^\s+\|/.test(line)) {
    const bar = line.indexOf('|');
    return c.dim(line.slice(0, bar + 1)) + c.red(line.slice(bar + 1));
  }
  return c.dim(line);
}

function hintLine(hint: string, c: Colors): string {
  return `${c.yellow('hint:')} ${hint}`;
}

function debugLines(error: unknown, c: Colors): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    lines.push(c.dim(depth === 0 ? text : `caused by: ${text}`));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}

export function renderWarnings(warnings: readonly string[], options: Pick<RenderOptions, 'color'>): string {
  const c = picocolors.createColors(options.color);
  return warnings.map((warning) => `${c.yellow('warning:')} ${warning}\n`).join('');
}
