// The bundle for a command line that names no known verb (help, a typo, nothing): every verb is
// registered, so that help lists them all and commander can suggest the closest to a typo.
import type { EarlyEngine } from '../../core/engine/connect.js';
import { runProcess } from '../run-process.js';
import { VERBS } from '../verbs.js';

export const main = (argv: readonly string[], early?: EarlyEngine): Promise<void> =>
  runProcess(argv, () => Promise.all(Object.values(VERBS).map((load) => load())), early);
