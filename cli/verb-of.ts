// Which verb a command line names. Read by the launcher (cli/main.ts) to pick the one bundle a
// run loads, so it imports nothing but the table of global flags.
import { globalOptionTakesValue } from './global-flags.js';

/**
 * The first word of `argv` that is not a global option or its value: the verb. Undefined when
 * there is none or help is asked for (then every verb is registered).
 */
export function verbOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '-h' || word === '--help' || word === 'help') return undefined;
    if (!word.startsWith('-') || word === '-') return word;
    if (word === '--') return argv[i + 1];
    if (!word.includes('=') && globalOptionTakesValue(word)) i++;
  }
  return undefined;
}
