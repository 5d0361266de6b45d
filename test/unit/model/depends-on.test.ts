import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../core/model/serialize.js';
import { build, buildChecked, errorOf, serviceOf } from './support.js';

describe('depends_on', () => {
  it('list form gets started/required defaults', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    depends_on: [db, cache]\n  db:\n    image: x\n  cache:\n    image: x\n`);
    expect(serviceOf(project).depends_on).toEqual({
      db: { condition: 'service_started', restart: false, required: true },
      cache: { condition: 'service_started', restart: false, required: true },
    });
  });

  it('map form with defaults for what it leaves out', () => {
    const project = buildChecked(`
services:
  web:
    image: x
    depends_on:
      db:
        condition: service_healthy
        restart: true
      init:
        condition: service_completed_successfully
      cache:
        required: false
  db: { image: x }
  init: { image: x }
  cache: { image: x }
`);
    expect(serviceOf(project).depends_on).toEqual({
      db: { condition: 'service_healthy', restart: true, required: true },
      init: { condition: 'service_completed_successfully', restart: false, required: true },
      cache: { condition: 'service_started', restart: false, required: false },
    });
  });

  it('prints restart only when true, required always', () => {
    const project = build(`services:\n  web:\n    image: x\n    depends_on:\n      db: { condition: service_healthy, restart: true }\n      b: {}\n  db: { image: x }\n  b: { image: x }\n`);
    const web = (toCanonical(project).services as Record<string, Record<string, unknown>>).web!;
    expect(web.depends_on).toEqual({
      b: { condition: 'service_started', required: true },
      db: { condition: 'service_healthy', restart: true, required: true },
    });
  });

  it('rejects an unknown condition', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: service_ready\n  db: { image: x }\n`));
    expect(error.message).toContain('unknown condition "service_ready"');
    expect(error.problems?.[0]?.location?.line).toBe(6);
  });

  it('an undefined required dependency is an error naming both services', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    depends_on: [api]\n`));
    expect(error.message).toContain('service "web" depends on undefined service "api"');
    expect(error.problems?.[0]?.location).toMatchObject({ line: 4, col: 18 });
    expect(error.problems?.[0]?.path).toEqual(["services", "web", "depends_on", 0]);
  });

  it('an undefined optional dependency is dropped without error', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    depends_on:\n      api: { required: false }\n`);
    expect(Object.keys(project.services)).toEqual(['web']);
  });
});
