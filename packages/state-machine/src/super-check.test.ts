import { describe, expect, it } from 'vitest';
import { SuperNotCalledError } from './errors.js';
import { SUPER_CALLED, callWithSuperCheck, markSuperCalled, type SuperCheckable } from './super-check.js';

class Base implements SuperCheckable {
  [SUPER_CALLED] = false;
  calls: string[] = [];
  hook(value: number): void {
    markSuperCalled(this);
    this.calls.push(`base ${value}`);
  }
  other(): void {
    markSuperCalled(this);
  }
}

describe('callWithSuperCheck', () => {
  it('passes the arguments and accepts an override that calls super', () => {
    class Good extends Base {
      override hook(value: number): void {
        this.calls.push(`good ${value}`);
        super.hook(value + 1);
      }
    }
    const g = new Good();
    callWithSuperCheck(g, 'hook', g.hook, 1);
    expect(g.calls).toEqual(['good 1', 'base 2']);
  });

  it('throws SuperNotCalledError naming the hook and the class', () => {
    class Bad extends Base {
      override hook(): void {}
    }
    const b = new Bad();
    expect(() => callWithSuperCheck(b, 'hook', b.hook)).toThrow(SuperNotCalledError);
    try {
      callWithSuperCheck(b, 'hook', b.hook);
    } catch (e) {
      expect((e as SuperNotCalledError).hook).toBe('hook');
      expect((e as SuperNotCalledError).className).toBe('Bad');
      expect((e as Error).name).toBe('SuperNotCalledError');
    }
  });

  it('is not fooled by a nested checked call whose base was reached', () => {
    class Nested extends Base {
      override hook(): void {
        callWithSuperCheck(this, 'other', this.other);
      }
    }
    const n = new Nested();
    expect(() => callWithSuperCheck(n, 'hook', n.hook)).toThrow("Base 'hook' was not called from 'Nested'");
  });

  it('restores the enclosing flag after a nested call', () => {
    class Nested extends Base {
      override hook(value: number): void {
        super.hook(value);
        callWithSuperCheck(this, 'other', this.other);
      }
    }
    const n = new Nested();
    expect(() => callWithSuperCheck(n, 'hook', n.hook, 1)).not.toThrow();
  });

  it('propagates errors from the hook and restores the flag', () => {
    class Throwing extends Base {
      override hook(): void {
        throw new Error('inside');
      }
    }
    const t = new Throwing();
    t[SUPER_CALLED] = true;
    expect(() => callWithSuperCheck(t, 'hook', t.hook)).toThrow('inside');
    expect(t[SUPER_CALLED]).toBe(true);
  });
});
