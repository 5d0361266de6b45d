// `--progress quiet`: progress is dropped; errors still reach the user through cli/render/error.ts.
import type { ProgressEvent } from '../../core/events.js';
import type { ProgressRenderer } from './progress-text.js';

export class QuietProgressRenderer implements ProgressRenderer {
  emit(_event: ProgressEvent): void {}
  async close(): Promise<void> {}
}
