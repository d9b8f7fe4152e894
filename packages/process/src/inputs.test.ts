import { describe, expect, it } from 'vitest';
import { DummyProcess } from './__tests__/processes.js';
import { Process, PortValidationError, SuperNotCalledError, type ProcessSpec } from './index.js';

describe('spec', () => {
  it('gives each process class its own spec (plumpy test_spec)', () => {
    const proc = new DummyProcess();
    expect(DummyProcess.spec()).not.toBe(Process.spec());
    expect(proc.spec()).toBe(DummyProcess.spec());
    class Proc extends DummyProcess {}
    expect(Proc.spec()).not.toBe(Process.spec());
    expect(Proc.spec()).not.toBe(DummyProcess.spec());
    expect(new Proc().spec()).toBe(Proc.spec());
  });

  it('seals the spec on first instantiation', () => {
    class Sealed extends Process {}
    expect(Sealed.spec().sealed).toBe(false);
    new Sealed();
    expect(Sealed.spec().sealed).toBe(true);
    expect(() => Sealed.spec().input('late')).toThrow(/sealed/);
  });

  it('does not keep a spec whose define threw (plumpy test_raise_in_define)', () => {
    let calls = 0;
    class BrokenProcess extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        calls += 1;
        throw new TypeError('broken define');
      }
    }
    expect(() => BrokenProcess.spec()).toThrow('broken define');
    expect(() => BrokenProcess.spec()).toThrow('broken define');
    expect(calls).toBe(2);
  });

  it('reports a define that forgets super.define', () => {
    class Forgetful extends Process {
      static override define(spec: ProcessSpec): void {
        spec.input('a');
      }
    }
    expect(() => new Forgetful()).toThrow(SuperNotCalledError);
    expect(() => Forgetful.spec()).toThrow("Base 'define' was not called from 'Forgetful'");
  });

  it('names the class and describes the spec', () => {
    class Named extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('a', { default: 1 });
      }
    }
    expect(Named.getName()).toBe('Named');
    expect(new Named().getName()).toBe('Named');
    const description = Named.getDescription();
    expect(Object.keys(description.spec.inputs)).toContain('a');
  });
});

describe('inputs', () => {
  it('rejects undeclared inputs unless the namespace is dynamic (plumpy test_dynamic_inputs)', async () => {
    class NoDynamic extends Process {}
    class WithDynamic extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputs.dynamic = true;
      }
    }
    expect(() => new NoDynamic({ inputs: { a: 5 } })).toThrow(PortValidationError);
    expect(() => new NoDynamic({ inputs: { a: 5 } })).toThrow('Unexpected ports {"a":5}, for a non dynamic namespace');
    const proc = new WithDynamic({ inputs: { a: 5 } });
    await proc.execute();
    expect(proc.inputs).toEqual({ a: 5 });
  });

  it('throws a PortValidationError naming the port for invalid inputs', () => {
    class Typed extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('a', { validType: Number });
        spec.input('ns.b', { validType: String });
      }
    }
    let error: unknown;
    try {
      new Typed({ inputs: { a: 'x', ns: { b: 'ok' } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PortValidationError);
    expect((error as PortValidationError).port).toBe('inputs.a');
    expect((error as Error).message).toBe(
      "Error occurred validating port 'inputs.a': value 'a' is not of the right type. Got 'string', expected 'Number'",
    );
    expect(() => new Typed({ inputs: { a: 1 } })).toThrow(
      "Error occurred validating port 'inputs.ns.b': required value was not provided for 'b'",
    );
  });

  it('keeps the inputs accessible after construction (plumpy test_inputs)', () => {
    class Proc extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('a');
      }
    }
    const p = new Proc({ inputs: { a: 5 } });
    expect(p.rawInputs.a).toBe(5);
    expect(p.inputs.a).toBe(5);
    expect(p.rawInputs.b).toBeUndefined();
  });

  it('does not mutate or keep the given inputs; rawInputs have no defaults (plumpy test_raw_inputs)', () => {
    class Proc extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('a');
        spec.input('nested.a');
        spec.input('nested.b', { default: 'default-value' });
      }
    }
    const inputs = { a: 5, nested: { a: 'value' } as Record<string, unknown> };
    const process = new Proc({ inputs });
    expect(process.rawInputs).toEqual({ a: 5, nested: { a: 'value' } });
    expect(inputs).toEqual({ a: 5, nested: { a: 'value' } });
    expect(process.inputs).toEqual({ a: 5, nested: { a: 'value', b: 'default-value' } });
    inputs.nested.a = 'changed';
    expect(process.rawInputs).toEqual({ a: 5, nested: { a: 'value' } });
  });

  it('deeply freezes the inputs and raw inputs', () => {
    class Proc extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputs.dynamic = true;
      }
    }
    class Box {
      value = 1;
    }
    const box = new Box();
    const p = new Proc({ inputs: { list: [1, { deep: true }], nested: { x: { y: 1 } }, box } });
    const inputs = p.inputs as Record<string, unknown> & { nested: { x: { y: number } }; list: unknown[] };
    expect(Object.isFrozen(inputs)).toBe(true);
    expect(Object.isFrozen(inputs.nested.x)).toBe(true);
    expect(Object.isFrozen(inputs.list)).toBe(true);
    expect(Object.isFrozen(inputs.list[1])).toBe(true);
    expect(Object.isFrozen(p.rawInputs)).toBe(true);
    expect(() => {
      inputs.nested.x.y = 2;
    }).toThrow(TypeError);
    // Class instances are passed through as they are.
    expect(inputs.box).toBe(box);
    expect(Object.isFrozen(box)).toBe(false);
  });

  it('fills defaults (plumpy test_inputs_default)', () => {
    class Proc extends DummyProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('input', { default: 5, required: false });
      }
    }
    expect(new Proc({ inputs: { input: 2 } }).inputs.input).toBe(2);
    expect(new Proc().inputs.input).toBe(5);
  });

  it('fills defaults that are falsy (plumpy test_inputs_default_that_evaluate_to_false)', () => {
    for (const defaultValue of [true, false, 0, 1, '', null]) {
      class Proc extends DummyProcess {
        static override define(spec: ProcessSpec): void {
          super.define(spec);
          spec.input('input', { default: defaultValue });
        }
      }
      const p = new Proc();
      expect(Object.hasOwn(p.inputs, 'input')).toBe(true);
      expect(p.inputs.input).toBe(defaultValue);
    }
  });

  it('evaluates a lazy default once per construction, only when no value was given', () => {
    let calls = 0;
    class Lazy extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('a', {
          default: () => {
            calls += 1;
            return calls * 10;
          },
        });
      }
    }
    expect(new Lazy().inputs.a).toBe(10);
    expect(new Lazy().inputs.a).toBe(20);
    expect(new Lazy({ inputs: { a: 1 } }).inputs.a).toBe(1);
    expect(calls).toBe(2);
  });

  it('leaves an optional namespace out unless given (plumpy test_optional_namespace)', () => {
    class SomeProcess extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputNamespace('namespace', { required: false, validType: Number, dynamic: true });
      }
    }
    expect(new SomeProcess({ inputs: { namespace: { a: 1 } } }).inputs).toEqual({ namespace: { a: 1 } });
    expect('namespace' in new SomeProcess().inputs).toBe(false);
    expect(new SomeProcess({ inputs: { namespace: {} } }).inputs).toEqual({ namespace: {} });

    class SomeDefaultProcess extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputNamespace('namespace', { required: false, validType: Number, dynamic: true });
        spec.input('namespace.b', { default: 5 });
      }
    }
    expect(new SomeDefaultProcess().inputs).toEqual({ namespace: { b: 5 } });
  });

  it('creates a nested namespace holding defaults (plumpy test_nested_namespace_defaults)', () => {
    class SomeProcess extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputNamespace('namespace', { required: false });
        spec.input('namespace.sub', { default: true });
      }
    }
    expect(new SomeProcess().inputs).toEqual({ namespace: { sub: true } });
  });

  it('parses namespaced inputs (plumpy TestProcessNamespace)', () => {
    class NameSpacedProcess extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('some.name.space.a', { validType: Number });
        spec.input('test', { validType: Number, default: 6 });
        spec.input('label', { validType: String, required: false });
        spec.input('store_provenance', { validType: Boolean, default: true });
      }
    }
    const proc = new NameSpacedProcess({ inputs: { some: { name: { space: { a: 5 } } } } });
    expect(proc.inputs).toEqual({ some: { name: { space: { a: 5 } } }, test: 6, store_provenance: true });
    expect('label' in proc.inputs).toBe(false);
  });

  it('accepts dynamic nested namespaces (plumpy test_namespaced_process_dynamic)', () => {
    class DummyDynamicProcess extends Process {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputNamespace('name.space', { dynamic: true, validType: Number });
      }
    }
    const inputs = { name: { space: { '1': 1, '2': 2, '3': 3 } } };
    expect(new DummyDynamicProcess({ inputs }).inputs).toEqual(inputs);
    expect(() => new DummyDynamicProcess({ inputs: { name: { space: { x: 'no' } } } })).toThrow(PortValidationError);
  });
});

describe('partial inputs', () => {
  class Greeter extends Process<{ name: string; greeting: string; times: number }, { text: string }> {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.input('name', { validType: String });
      spec.input('greeting', { validType: String, default: 'hello' });
      spec.input('times', { validType: Number, default: () => 2 });
      spec.output('text', { validType: String });
    }
    override run(): void {
      this.out('text', Array(this.inputs.times).fill(`${this.inputs.greeting} ${this.inputs.name}`).join(', '));
    }
  }

  it('accepts inputs that leave out the ports with defaults (typed as a partial I), and fills them in', async () => {
    const proc = new Greeter({ inputs: { name: 'x' } });
    expect(proc.inputs).toEqual({ name: 'x', greeting: 'hello', times: 2 });
    expect(proc.rawInputs).toEqual({ name: 'x' });
    expect(await proc.execute()).toEqual({ text: 'hello x, hello x' });
  });

  it('still refuses a missing required input at run time', () => {
    expect(() => new Greeter({ inputs: { greeting: 'hi' } })).toThrow(PortValidationError);
  });
});
