import type { SpecProblem } from '../errors.js';

/** Document order: files in the order given, then line and column; problems without a place last. */
export function sortProblems(problems: readonly SpecProblem[], fileOrder: readonly string[] = []): SpecProblem[] {
  const rank = (file: string): number => {
    const index = fileOrder.indexOf(file);
    return index < 0 ? fileOrder.length : index;
  };
  return [...problems].sort((a, b) => {
    const x = a.location;
    const y = b.location;
    if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
    return rank(x.file) - rank(y.file) || x.file.localeCompare(y.file) || x.line - y.line || x.col - y.col;
  });
}
