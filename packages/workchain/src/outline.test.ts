// Malformed outlines fail when declared (or, for method names, when the class's
// spec is built) with a clear OutlineError, which is a TypeError. After
// plumpy's test_incorrect_outline and test_malformed_outline.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '@plumpy-ts/process';
import { OutlineError, WorkChain, WorkChainSpec, if_, return_, while_, type OutlineEntry } from './index.js';

function outlineOf(...entries: unknown[]): () => void {
  return () => new WorkChainSpec().outline(...(entries as OutlineEntry[]));
}

describe('a malformed outline fails when declared', () => {
  it('rejects an entry that is not a step (plumpy: spec.outline(5))', () => {
    expect(outlineOf(5)).toThrow(TypeError);
    expect(outlineOf(5)).toThrow(OutlineError);
    expect(outlineOf(5)).toThrow(
      'the outline: invalid outline entry 5; expected a method name, a method, if_(...)(...), while_(...)(...) or return_',
    );
    expect(outlineOf('a', null)).toThrow('invalid outline entry null');
    expect(outlineOf({})).toThrow('invalid outline entry [object Object]');
  });

  it('rejects a step that takes parameters (plumpy: lambda x, y: 5)', () => {
    const twoParameters = (x: number, y: number): number => x + y;
    expect(outlineOf(twoParameters)).toThrow(
      "the outline: step 'twoParameters' takes 2 parameter(s); a step takes none (it is called with the work chain as this)",
    );
  });

  it('rejects an empty outline and an empty name', () => {
    expect(outlineOf()).toThrow('the outline has no steps: give it at least one');
    expect(outlineOf('')).toThrow('the outline: a step name must not be empty');
  });

  it('rejects a conditional without a body', () => {
    expect(outlineOf(if_('cond'))).toThrow("the outline: if_(cond) has no body; call it with its steps, e.g. if_(cond)('step')");
    expect(outlineOf(while_('more'))).toThrow('while_(more) has no body');
    expect(outlineOf(if_('a')('x').elif_('b'))).toThrow('elif_(b) has no body');
    expect(() => while_('a')(if_('b'))).toThrow('while_(a): if_(b) has no body');
  });

  it('rejects an empty body', () => {
    expect(() => while_('more')()).toThrow('while_(more) has no steps: give it at least one');
    expect(() => if_('cond')()).toThrow('if_(cond) has no steps');
    expect(() => if_('cond')('a').else_()).toThrow('else_ has no steps');
  });

  it('rejects a bad conditional', () => {
    expect(() => if_(5 as unknown as string)).toThrow(
      'if_(5): the condition must be a method name or a method returning a boolean',
    );
    expect(() => while_('')).toThrow("while_(): the condition's name must not be empty");
    const withParameter = (x: number): boolean => x > 0;
    expect(() => while_(withParameter as unknown as () => boolean)).toThrow(
      "while_(withParameter): condition 'withParameter' takes 1 parameter(s)",
    );
    expect(() => if_(if_('a') as unknown as string)).toThrow(OutlineError);
  });

  it('rejects branches after else_', () => {
    const complete = if_('a')('x').else_('y');
    expect(() => complete.elif_('b')).toThrow('elif_(b) cannot follow else_');
    expect(() => complete.else_('z')).toThrow('else_ cannot follow else_');
  });

  it('rejects a bad return_ exit code', () => {
    expect(() => return_(-1)).toThrow(OutlineError);
    expect(() => return_(1.5)).toThrow('return_(1.5): expected an ExitCode, a non-negative integer exit status');
    expect(() => return_('')).toThrow(OutlineError);
  });

  it('accepts method names, methods and nested instructions', () => {
    function step(): void {}
    expect(outlineOf('a', step, if_('c')(while_('d')('e', return_)).else_(return_(3)))).not.toThrow();
  });
});

describe('an outline that does not fit its class fails when the spec is built', () => {
  it('rejects a name that is not a method (plumpy: Wf.spec() raises)', () => {
    class Unknown extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('start', while_('more')('nope'));
      }

      start(): void {}

      more(): boolean {
        return false;
      }
    }
    expect(() => Unknown.spec()).toThrow(TypeError);
    expect(() => Unknown.spec()).toThrow("Unknown: the step 'nope' in while_(more) is not a method of Unknown");
    expect(() => new Unknown()).toThrow("the step 'nope' in while_(more) is not a method of Unknown");
  });

  it('rejects an unknown condition', () => {
    class UnknownCondition extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline(if_('isIt')('start'));
      }

      start(): void {}
    }
    expect(() => UnknownCondition.spec()).toThrow(
      "UnknownCondition: the condition 'isIt' in if_(isIt) is not a method of UnknownCondition",
    );
  });

  it('rejects a method that takes parameters', () => {
    class WithParameter extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('start');
      }

      start(_x: number): void {}
    }
    expect(() => WithParameter.spec()).toThrow("the outline: step 'start' takes 1 parameter(s)");
  });

  it('rejects a field that is not a method', () => {
    class NotAMethod extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('value');
      }

      get value(): number {
        throw new Error('getters are not invoked');
      }
    }
    expect(() => NotAMethod.spec()).toThrow("the step 'value' in the outline is not a method of NotAMethod");
  });

  it('rejects a method of the base class (a hook), as a step', () => {
    class HookAsStep extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('init', 'execute');
      }

      protected override init(): void {
        super.init();
      }
    }
    expect(() => HookAsStep.spec()).toThrow(
      "HookAsStep: the step 'init' in the outline names a method of the WorkChain base class (a hook or an API method); give the step another name",
    );
  });

  it('rejects a return_ naming an undeclared exit code', () => {
    class UndeclaredCode extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline(return_('ERROR_NOPE'));
      }
    }
    expect(() => UndeclaredCode.spec()).toThrow(
      "UndeclaredCode: return_('ERROR_NOPE') names no exit code declared with spec.exitCode()",
    );
  });

  it('fails construction without an outline, naming the class', () => {
    class NoOutline extends WorkChain {}
    expect(() => NoOutline.spec()).not.toThrow();
    expect(() => new NoOutline()).toThrow(
      'NoOutline has no outline: declare one with spec.outline(...) in its static define()',
    );
  });

  it('cannot change the outline once the spec is sealed', () => {
    class Sealed extends WorkChain {
      static override define(spec: WorkChainSpec): void {
        super.define(spec);
        spec.outline('a');
      }

      a(): void {}
    }
    new Sealed();
    expect(() => Sealed.spec().outline('a')).toThrow('Cannot add an outline after the spec has been sealed');
  });
});

describe('the outline description', () => {
  it('lists steps and conditionals', () => {
    const spec = new WorkChainSpec();
    function named(): void {}
    spec.outline(
      'init',
      while_('notDone')('step', if_('odd')('a').elif_('even')('b').else_('c', return_)),
      named,
      return_(new ExitCode(3, 'ERROR_X')),
      return_(4),
    );
    expect(spec.getDescription().outline).toEqual([
      'init',
      { 'while_(notDone)': ['step', { 'if_(odd)': ['a'], 'elif_(even)': ['b'], else_: ['c', 'return_'] }] },
      'named',
      'return_(ERROR_X)',
      'return_(4)',
    ]);
  });

  it('is absent before an outline is declared', () => {
    expect(new WorkChainSpec().getDescription().outline).toBeUndefined();
  });

  it('renders instructions as JSON', () => {
    expect(String(while_('more')('step'))).toBe('{"while_(more)":["step"]}');
  });
});
