// The pure parts of the Docker adapter: error conversion and the status-text parsers.
// Everything that needs the engine is in test/integration/engine.test.ts.
import { describe, expect, it } from 'vitest';
import type { EngineAddress } from '../../../core/engine/connect.js';
import { exitCodeFromStatus, healthFromStatus, humanDuration, splitReference, toEngineError } from '../../../core/engine/docker.js';
import { EngineError, isConflict, isNotFound } from '../../../core/errors.js';

const socket: EngineAddress = { url: 'unix:///var/run/docker.sock', protocol: 'unix', socketPath: '/var/run/docker.sock', source: 'default' };

function modemError(statusCode: number, message: string, json?: unknown): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message} `), { statusCode, json });
}

describe('toEngineError', () => {
  it('keeps the engine\'s words and drops the modem\'s HTTP wrapping', () => {
    const message = 'driver failed programming external connectivity on endpoint web (abc): Bind for 127.0.0.1:8080 failed: port is already allocated';
    const error = toEngineError(modemError(500, message, { message }), 'start container', 'web', socket) as EngineError;
    expect(error).toBeInstanceOf(EngineError);
    expect(error.message).toBe(`start container web: ${message}`);
    expect(error).toMatchObject({ code: 'ENGINE', operation: 'start container', resource: 'web', statusCode: 500 });
    expect(error.hint).toMatch(/host port/);
  });

  it('strips the wrapping from stream errors, which carry no JSON', () => {
    const error = toEngineError(modemError(404, 'No such container: ghost'), 'read logs of', 'ghost', socket) as EngineError;
    expect(error.message).toBe('read logs of ghost: No such container: ghost');
  });

  it('classifies 404 as not found and 409 as conflict', () => {
    const missing = toEngineError(modemError(404, 'x', { message: 'No such container: x' }), 'remove container', 'x', socket);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', statusCode: 404 });
    expect(isNotFound(missing)).toBe(true);
    const conflict = toEngineError(modemError(409, 'x', { message: 'removal of container x is already in progress' }), 'remove container', 'x', socket);
    expect(isConflict(conflict)).toBe(true);
    expect(isNotFound(conflict)).toBe(false);
    expect(isNotFound(new Error('No such container'))).toBe(false);
  });

  it('names the address when the engine cannot be reached', () => {
    const refused = toEngineError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'list containers', undefined, socket);
    expect(refused).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: 'cannot reach the Docker engine at unix:///var/run/docker.sock: is dockerd running?' });
    const denied = toEngineError(Object.assign(new Error('connect EACCES'), { code: 'EACCES' }), 'ping', undefined, socket) as EngineError;
    expect(denied.message).toBe('cannot reach the Docker engine at unix:///var/run/docker.sock: permission denied');
    expect(denied.hint).toMatch(/docker group/);
  });

  it('passes aborts and StackErrors through unchanged', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toEngineError(abort, 'wait for container', 'x', socket)).toBe(abort);
    const own = new EngineError({ operation: 'pull image', resource: 'x', message: 'pull access denied' });
    expect(toEngineError(own, 'other', undefined, socket)).toBe(own);
  });
});

describe('status text', () => {
  it('reads health from docker ps status', () => {
    expect(healthFromStatus('Up 3 minutes (healthy)')).toBe('healthy');
    expect(healthFromStatus('Up 3 seconds (health: starting)')).toBe('starting');
    expect(healthFromStatus('Up 1 second (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatus('Up 2 hours')).toBeUndefined();
  });

  it('reads the exit code', () => {
    expect(exitCodeFromStatus('Exited (137) 5 seconds ago')).toBe(137);
    expect(exitCodeFromStatus('Restarting (1) Less than a second ago')).toBe(1);
    expect(exitCodeFromStatus('Up 2 hours')).toBeUndefined();
    expect(exitCodeFromStatus('Created')).toBeUndefined();
  });

  it('humanizes durations like the engine', () => {
    expect(humanDuration(0.3)).toBe('Less than a second');
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(42)).toBe('42 seconds');
    expect(humanDuration(61)).toBe('About a minute');
    expect(humanDuration(600)).toBe('10 minutes');
    expect(humanDuration(3600)).toBe('About an hour');
    expect(humanDuration(5 * 3600)).toBe('5 hours');
    expect(humanDuration(3 * 86400)).toBe('3 days');
    expect(humanDuration(21 * 86400)).toBe('3 weeks');
    expect(humanDuration(90 * 86400)).toBe('3 months');
    expect(humanDuration(3 * 365 * 86400)).toBe('3 years');
  });
});

describe('splitReference', () => {
  it('separates repository and tag or digest, minding registry ports', () => {
    expect(splitReference('redis')).toEqual({ repository: 'redis', tag: undefined });
    expect(splitReference('redis:7')).toEqual({ repository: 'redis', tag: '7' });
    expect(splitReference('registry:5000/team/app')).toEqual({ repository: 'registry:5000/team/app', tag: undefined });
    expect(splitReference('registry:5000/team/app:1.2')).toEqual({ repository: 'registry:5000/team/app', tag: '1.2' });
    expect(splitReference('app@sha256:abc')).toEqual({ repository: 'app', tag: 'sha256:abc' });
  });
});
