// How a depends_on condition reads in messages and plan causes ("waiting for db to be healthy").
import type { DependsOnCondition } from './types.js';

export function conditionWords(condition: DependsOnCondition): string {
  switch (condition) {
    case 'service_healthy':
      return 'healthy';
    case 'service_completed_successfully':
      return 'completed successfully';
    default:
      return 'started';
  }
}
