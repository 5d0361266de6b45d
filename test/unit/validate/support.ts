// Builds a LoadedSpec from YAML written inline, the way the loader does for one file, without
// depending on the loader itself.
import { LineCounter, parseDocument } from 'yaml';
import { SpecError, type SpecProblem } from '../../../core/errors.js';
import { SourceMap } from '../../../core/load/source-map.js';
import { sourceMapOfDocument } from '../../../core/load/source-map-yaml.js';
import type { LoadedSpec } from '../../../core/load/types.js';

/** Strips the first newline and the common indentation, so that inline YAML keeps true line numbers. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return lines.map((line) => line.slice(common)).join('\n');
}

export function specFromYaml(yamlText: string, file = 'compose.yaml'): LoadedSpec {
  const text = dedent(yamlText);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) throw new Error(`test YAML does not parse: ${doc.errors[0]?.message ?? ''}`);
  const sources = sourceMapOfDocument(doc, file, lineCounter, text);
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  return {
    projectName: 'test',
    workingDir: '/project',
    configFiles: [`/project/${file}`],
    sourceFiles: [`/project/${file}`],
    data,
    sources,
    environment: {},
    warnings: [],
  };
}

/** Runs `check` and returns the problems of the SpecError it throws (fails when it does not throw one). */
export function problemsOf(check: () => void): readonly SpecProblem[] {
  try {
    check();
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected a SpecError, but the check passed');
}

/** `file:line:col: path: message` lines, as users read them. */
export function lines(problems: readonly SpecProblem[]): string[] {
  return problems.map((problem) => {
    const where = problem.location ? `${problem.location.file}:${problem.location.line}:${problem.location.col}: ` : '';
    const path = problem.path && problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
    return `${where}${path}${problem.message}`;
  });
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}
