import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../core/model/serialize.js';
import { build, buildChecked, errorOf, serviceOf } from './support.js';

describe('healthcheck', () => {
  it('string test -> CMD-SHELL; durations -> ms', () => {
    const project = buildChecked(`
services:
  web:
    image: x
    healthcheck:
      test: curl -f http://localhost || exit 1
      interval: 1m30s
      timeout: 10s
      retries: 3
      start_period: 40s
      start_interval: 500ms
`);
    expect(serviceOf(project).healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'],
      interval: 90_000,
      timeout: 10_000,
      retries: 3,
      start_period: 40_000,
      start_interval: 500,
    });
  });

  it('list test kept', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    healthcheck:\n      test: ["CMD", "pg_isready", "-U", "postgres"]\n`);
    expect(serviceOf(project).healthcheck?.test).toEqual(['CMD', 'pg_isready', '-U', 'postgres']);
  });

  it('disable: true -> test NONE', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    healthcheck:\n      disable: true\n`);
    expect(serviceOf(project).healthcheck).toEqual({ test: ['NONE'], disable: true });
  });

  it('prints durations back as Go durations', () => {
    const project = build(`services:\n  web:\n    image: x\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 90s\n      timeout: 1h\n`);
    const web = (toCanonical(project).services as Record<string, Record<string, unknown>>).web!;
    expect(web.healthcheck).toEqual({ test: ['CMD', 'true'], timeout: '1h0m0s', interval: '1m30s' });
  });

  it('a bad interval is positioned', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    healthcheck:\n      interval: often\n`));
    expect(error.problems?.[0]?.path).toEqual(['services', 'web', 'healthcheck', 'interval']);
    expect(error.problems?.[0]?.location?.line).toBe(5);
  });
});
