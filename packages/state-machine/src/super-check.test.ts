import { describe, expect, it } from 'vitest';
import { SuperNotCalledError } from './errors.js';
import { callWithSuperCheck, finishSuperCheck, markSuperCalled, startSuperCheck } from './super-check.js';

class Base {
  calls: string[] = [];
  hook(value: number): void {
    markSuperCalled(this);
    this.calls.push(`base ${value}`);
  }
  other(): void {
    markSuperCalled(this);
  }
  failing(): void {
    throw new Error('failing hook');
  }
}

/** Runs `hook` of `target` between startSuperCheck and finishSuperCheck, as the machines do. */
function checked(target: Base, hook: 'hook' | 'other' | 'failing', value = 0): void {
  const token = startSuperCheck(target);
  target[hook](value);
  finishSuperCheck(target, token, hook);
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
    let caught: unknown;
    try {
      callWithSuperCheck(b, 'hook', b.hook);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SuperNotCalledError);
    expect((caught as SuperNotCalledError).hook).toBe('hook');
    expect((caught as SuperNotCalledError).className).toBe('Bad');
    expect((caught as Error).name).toBe('SuperNotCalledError');
    expect((caught as Error).message).toBe("Base 'hook' was not called from 'Bad': did you forget to call super.hook()?");
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

  it('is not fooled by a nested checked call on another object', () => {
    const other = new Base();
    class Nested extends Base {
      override hook(): void {
        callWithSuperCheck(other, 'other', other.other);
      }
    }
    const n = new Nested();
    expect(() => callWithSuperCheck(n, 'hook', n.hook)).toThrow(SuperNotCalledError);
  });

  it('keeps the enclosing call reached after a nested call', () => {
    class Nested extends Base {
      override hook(value: number): void {
        super.hook(value);
        callWithSuperCheck(this, 'other', this.other);
      }
    }
    const n = new Nested();
    expect(() => callWithSuperCheck(n, 'hook', n.hook, 1)).not.toThrow();
  });

  it('reports a nested override that forgets super, inside an enclosing call that did not', () => {
    class ForgetsOther extends Base {
      override other(): void {}
    }
    class Nested extends Base {
      readonly child = new ForgetsOther();
      override hook(value: number): void {
        super.hook(value);
        callWithSuperCheck(this.child, 'other', this.child.other);
      }
    }
    const n = new Nested();
    expect(() => callWithSuperCheck(n, 'hook', n.hook, 1)).toThrow("Base 'other' was not called from 'ForgetsOther'");
  });

  it('propagates errors from the hook, and the next checks still work', () => {
    class Throwing extends Base {
      override hook(): void {
        throw new Error('inside');
      }
    }
    const t = new Throwing();
    expect(() => callWithSuperCheck(t, 'hook', t.hook)).toThrow('inside');
    const good = new Base();
    expect(() => callWithSuperCheck(good, 'hook', good.hook, 1)).not.toThrow();
    class Bad extends Base {
      override hook(): void {}
    }
    const bad = new Bad();
    expect(() => callWithSuperCheck(bad, 'hook', bad.hook)).toThrow(SuperNotCalledError);
  });

  it('does not fail an enclosing hook that called super and caught a nested hook error', () => {
    class Catching extends Base {
      override hook(value: number): void {
        super.hook(value);
        try {
          checked(this, 'failing');
        } catch {
          // swallowed on purpose
        }
      }
    }
    const c = new Catching();
    expect(() => callWithSuperCheck(c, 'hook', c.hook, 1)).not.toThrow();
  });

  it('writes nothing on the target', () => {
    const b = new Base();
    const keys = Reflect.ownKeys(b);
    callWithSuperCheck(b, 'hook', b.hook, 1);
    checked(b, 'other');
    expect(Reflect.ownKeys(b)).toEqual(keys);
  });
});

describe('startSuperCheck / finishSuperCheck', () => {
  it('accepts a hook that reached its base and reports one that did not', () => {
    class Bad extends Base {
      override other(): void {}
    }
    expect(() => checked(new Base(), 'other')).not.toThrow();
    expect(() => checked(new Bad(), 'other')).toThrow("Base 'other' was not called from 'Bad'");
  });

  it('nest: the marks of the inner call do not count for the outer one', () => {
    const outer = new Base();
    const inner = new Base();
    const outerToken = startSuperCheck(outer);
    checked(inner, 'other');
    expect(() => finishSuperCheck(outer, outerToken, 'hook')).toThrow("Base 'hook' was not called from 'Base'");
  });
});
