import { ClassRegistry } from '@plumpy-ts/persistence';
import { describe, expect, it } from 'vitest';
import { MalformedTaskError } from './errors.js';
import { createContinueBody, createCreateBody, createLaunchBody, parseTaskBody } from './task-bodies.js';

class Launchable {
  static processId = 'controllers-test/task-bodies/Launchable';
}

describe('task bodies', () => {
  it('names the class by its loader identifier in a launch body, with plumpy keys', () => {
    const body = createLaunchBody(Launchable, { inputs: { a: 1 }, nowait: true });
    expect(body).toEqual({
      task: 'launch',
      args: {
        process_class: 'controllers-test/task-bodies/Launchable',
        persist: false,
        nowait: true,
        init_args: null,
        init_kwargs: { inputs: { a: 1 } },
      },
    });
    expect(ClassRegistry.default.load('controllers-test/task-bodies/Launchable')).toBe(Launchable);
  });

  it('accepts a class identifier instead of a class, and a pid as a string', () => {
    const body = createLaunchBody('some/Class', { persist: true, pid: 42 });
    expect(body.args).toMatchObject({ process_class: 'some/Class', persist: true, nowait: false, init_kwargs: { pid: '42' } });
  });

  it('builds continue and create bodies', () => {
    expect(createContinueBody(7)).toEqual({ task: 'continue', args: { pid: '7', nowait: false, tag: null } });
    expect(createContinueBody('p', { tag: 'step2', nowait: true })).toEqual({
      task: 'continue',
      args: { pid: 'p', nowait: true, tag: 'step2' },
    });
    expect(createCreateBody(Launchable, { persist: true })).toEqual({
      task: 'create',
      args: {
        process_class: 'controllers-test/task-bodies/Launchable',
        persist: true,
        init_args: null,
        init_kwargs: null,
      },
    });
  });

  it('parses what it builds, and survives JSON', () => {
    for (const body of [
      createLaunchBody(Launchable, { inputs: { x: [1, 2] }, persist: true, nowait: true, pid: 'p1' }),
      createContinueBody('p1', { tag: 't' }),
      createCreateBody(Launchable, { inputs: {} }),
    ]) {
      expect(parseTaskBody(JSON.parse(JSON.stringify(body)))).toEqual(body);
    }
  });

  it('fills absent flags with false and numeric pids as strings', () => {
    expect(parseTaskBody({ task: 'continue', args: { pid: 3 } })).toEqual({
      task: 'continue',
      args: { pid: '3', nowait: false, tag: null },
    });
    expect(parseTaskBody({ task: 'launch', args: { process_class: 'C' } }).args).toEqual({
      process_class: 'C',
      persist: false,
      nowait: false,
      init_args: null,
      init_kwargs: null,
    });
  });

  it('refuses malformed tasks with MalformedTaskError', () => {
    const bad: unknown[] = [
      null,
      'launch',
      { task: 'explode', args: {} },
      { task: 'launch', args: {} },
      { task: 'launch', args: { process_class: 'C', nowait: 'yes' } },
      { task: 'launch', args: { process_class: 'C', init_args: [1] } },
      { task: 'launch', args: { process_class: 'C', init_kwargs: { communicator: {} } } },
      { task: 'launch', args: { process_class: 'C', init_kwargs: { inputs: 5 } } },
      { task: 'continue', args: { pid: '' } },
      { task: 'continue', args: { pid: 'p', tag: 5 } },
      { task: 'create', args: [] },
    ];
    for (const task of bad) expect(() => parseTaskBody(task), JSON.stringify(task)).toThrow(MalformedTaskError);
  });
});
