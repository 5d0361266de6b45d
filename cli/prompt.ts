// Yes/no questions on the terminal (`rm` without -f). Only ever asked when stdin is a TTY:
// without one there is nobody to answer, and the caller refuses instead of guessing.

export interface PromptIO {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/** Whether a question can be asked at all. */
export function canPrompt(io: Pick<PromptIO, 'input'> = { input: process.stdin }): boolean {
  return io.input.isTTY === true;
}

/** `y` or `yes` (any case) is yes; anything else, including an empty answer, is no. */
export async function confirm(question: string, io: PromptIO = { input: process.stdin, output: process.stdout }): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.input, output: io.output });
  try {
    return isYes(await rl.question(question));
  } finally {
    rl.close();
  }
}

export function isYes(answer: string): boolean {
  return /^y(es)?$/i.test(answer.trim());
}
