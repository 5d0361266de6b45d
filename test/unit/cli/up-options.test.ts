import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.js';
import type { Project, Service } from '../../../core/model/types.js';
import { attachSelection, checkScaleServices, isAttached, parseScale, splitAttach, validateUpFlags, withPullPolicy } from '../../../cli/up-options.js';
import { isYes } from '../../../cli/prompt.js';
import { tagAttach } from '../../../cli/operation.js';

function project(services: Record<string, Partial<Service>>): Project {
  const out: Record<string, Service> = {};
  for (const [name, service] of Object.entries(services)) out[name] = { name, ...service } as Service;
  return { name: 'p', services: out, disabledServices: {} } as unknown as Project;
}

describe('validateUpFlags (Compose conflicts)', () => {
  it.each([
    [{ detach: true, abortOnContainerExit: true }, '--detach cannot be combined'],
    [{ detach: true, exitCodeFrom: 'web' }, '--detach cannot be combined'],
    [{ detach: true, attach: ['+web'] }, '--detach cannot be combined'],
    [{ wait: true, abortOnContainerExit: true }, '--wait cannot be combined'],
    [{ wait: true, attach: ['+web'] }, '--wait cannot be combined'],
    [{ forceRecreate: true, recreate: false }, '--force-recreate and --no-recreate are incompatible'],
    [{ start: false, wait: true }, '--no-start and --wait are incompatible'],
    [{ start: false, abortOnContainerExit: true }, '--no-start cannot be combined'],
    [{ waitTimeout: 5 }, '--wait-timeout needs --wait'],
  ])('%o is a usage error', (flags, message) => {
    expect(() => validateUpFlags(flags)).toThrow(UsageError);
    expect(() => validateUpFlags(flags)).toThrow(message);
  });

  it.each([[{}], [{ detach: true, attach: ['-web'] }], [{ wait: true, waitTimeout: 10 }], [{ exitCodeFrom: 'web' }], [{ forceRecreate: true }], [{ detach: true, recreate: false }]])(
    '%o is accepted',
    (flags) => {
      expect(() => validateUpFlags(flags)).not.toThrow();
    },
  );
});

describe('isAttached', () => {
  it('is the default, and off for -d, --wait and --no-start', () => {
    expect(isAttached({})).toBe(true);
    expect(isAttached({ detach: true })).toBe(false);
    expect(isAttached({ wait: true })).toBe(false);
    expect(isAttached({ start: false })).toBe(false);
  });
});

describe('parseScale', () => {
  it('reads SERVICE=N pairs; the last one for a service wins', () => {
    expect(parseScale(['web=3', 'db=0', 'web=2'])).toEqual({ web: 2, db: 0 });
  });

  it('is undefined without values', () => {
    expect(parseScale(undefined)).toBeUndefined();
    expect(parseScale([])).toBeUndefined();
  });

  it.each(['web', 'web=', 'web=-1', 'web=two', '=3'])('rejects %s with a hint', (value) => {
    expect(() => parseScale([value])).toThrow(`invalid scale "${value}"`);
  });
});

describe('checkScaleServices', () => {
  it('names the unknown service and lists the known ones', () => {
    expect(() => checkScaleServices(project({ web: {}, db: {} }), { wbe: 2 })).toThrow('cannot scale wbe: no such service');
    expect(() => checkScaleServices(project({ web: {} }), { web: 2 })).not.toThrow();
  });
});

describe('withPullPolicy', () => {
  it('overrides every service pull_policy and leaves the input untouched', () => {
    const input = project({ web: { image: 'a', pull_policy: 'never' }, db: { image: 'b' } });
    const out = withPullPolicy(input, 'always');
    expect(out.services.web?.pull_policy).toBe('always');
    expect(out.services.db?.pull_policy).toBe('always');
    expect(input.services.web?.pull_policy).toBe('never');
  });

  it('applies `build` only to services that can build', () => {
    const out = withPullPolicy(project({ web: { image: 'a' }, app: { build: { context: '.' } as Service['build'] } }), 'build');
    expect(out.services.web?.pull_policy).toBeUndefined();
    expect(out.services.app?.pull_policy).toBe('build');
  });

  it('returns the project itself without the flag', () => {
    const input = project({ web: {} });
    expect(withPullPolicy(input, undefined)).toBe(input);
  });
});

describe('--attach / --no-attach', () => {
  it('share one list through tagAttach, split back in order', () => {
    let list: unknown;
    list = tagAttach('+')('web', list);
    list = tagAttach('-')('db', list);
    list = tagAttach('+')('api', list);
    expect(splitAttach(list as string[])).toEqual({ attach: ['web', 'api'], noAttach: ['db'] });
  });

  it('attach to every selected service by default', () => {
    expect(attachSelection({ selected: ['db', 'web'], named: [] })).toEqual({ print: ['db', 'web'], watch: ['db', 'web'] });
  });

  it('attach to the named services, not their dependencies', () => {
    expect(attachSelection({ selected: ['db', 'web'], named: ['web'] })).toEqual({ print: ['web'], watch: ['web'] });
  });

  it('--attach wins over the named services; --no-attach removes', () => {
    expect(attachSelection({ selected: ['db', 'web', 'api'], named: ['web'], tagged: ['+db', '+api', '-api'] })).toEqual({ print: ['db'], watch: ['db'] });
  });

  it('with nothing printed, still watches the selected services', () => {
    expect(attachSelection({ selected: ['web'], named: [], tagged: ['-web'] })).toEqual({ print: [], watch: ['web'] });
  });

  it('rejects a service that is not being started', () => {
    expect(() => attachSelection({ selected: ['web'], named: [], tagged: ['+wbe'] })).toThrow('cannot attach to wbe');
  });
});

describe('isYes', () => {
  it.each([
    ['y', true],
    ['Y', true],
    [' yes\n', true],
    ['', false],
    ['n', false],
    ['yess', false],
  ])('%j -> %s', (answer, expected) => {
    expect(isYes(answer)).toBe(expected);
  });
});
