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

/** The value of a global flag given before the verb (`-p demo`, `-pdemo`, `--project-name=demo`); the last one wins. */
export function globalValueBeforeVerb(argv: readonly string[], short: string, long: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--' || !word.startsWith('-') || word === '-') break;
    if (word === short || word === long) value = argv[++i];
    else if (word.startsWith(`${long}=`)) value = word.slice(long.length + 1);
    else if (word.startsWith(short) && !word.startsWith('--')) value = word.slice(short.length);
    else if (!word.includes('=') && globalOptionTakesValue(word)) i++;
  }
  return value;
}
