import { describe, expect, it } from 'vitest';
import { ExitCode } from './exit-code.js';

describe('ExitCode', () => {
  it('defaults to status 0 and is frozen', () => {
    const ok = new ExitCode();
    expect(ok.status).toBe(0);
    expect(ok.name).toBeUndefined();
    expect(Object.isFrozen(ok)).toBe(true);
  });

  it('rejects invalid statuses', () => {
    expect(() => new ExitCode(-1)).toThrow(TypeError);
    expect(() => new ExitCode(1.5)).toThrow(TypeError);
  });

  it('formats placeholders in its message', () => {
    const code = new ExitCode(400, 'ERROR_BAD', 'bad value {value} for {port}');
    const formatted = code.format({ value: 5, port: 'a' });
    expect(formatted.message).toBe('bad value 5 for a');
    expect(formatted.status).toBe(400);
    expect(formatted.name).toBe('ERROR_BAD');
    expect(code.message).toBe('bad value {value} for {port}');
    expect(() => code.format({ value: 1 })).toThrow(/needs a value for 'port'/);
  });

  it('serialises to plain data', () => {
    expect(JSON.parse(JSON.stringify(new ExitCode(1, 'E', 'm')))).toEqual({ status: 1, name: 'E', message: 'm' });
    expect(new ExitCode(2).toJSON()).toEqual({ status: 2 });
  });
});
