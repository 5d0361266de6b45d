// `stack config` output: the model as YAML or JSON, or one name per line.
import { stringify } from 'yaml';

export type ConfigFormat = 'yaml' | 'json';

export function renderModel(model: Record<string, unknown>, format: ConfigFormat): string {
  if (format === 'json') return JSON.stringify(model, null, 2) + '\n';
  return stringify(model, {
    // Shared sub-objects in the model must print in full, not as YAML anchors and aliases.
    aliasDuplicateObjects: false,
    // Never fold long strings (commands, environment values): what is printed is what was meant.
    lineWidth: 0,
    indentSeq: true,
  });
}

export function renderNames(names: readonly string[]): string {
  return names.map((name) => `${name}\n`).join('');
}
