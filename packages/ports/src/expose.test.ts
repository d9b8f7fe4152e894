import { describe, expect, it } from 'vitest';
import type { InputPort } from './input-port.js';
import type { PortValidator } from './port.js';
import { PortDefinitionError } from './port-definition-error.js';
import type { PortNamespace } from './port-namespace.js';
import { ProcessSpec } from './process-spec.js';

/**
 * A stand-in for a process class: `static define(spec)` fills a spec that `static spec()` builds
 * once per class, as the process package does.
 */
const specs = new WeakMap<object, ProcessSpec>();
class FakeProcess {
  static define(_spec: ProcessSpec): void {}
  static spec(): ProcessSpec {
    let spec = specs.get(this);
    if (spec === undefined) {
      spec = new ProcessSpec();
      this.define(spec);
      specs.set(this, spec);
    }
    return spec;
  }
}

const validatorFunction: PortValidator = () => undefined;

class BaseNamespaceProcess extends FakeProcess {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('top');
    spec.input('namespace.sub_one');
    spec.input('namespace.sub_two');
    (spec.inputs.get('namespace') as PortNamespace).validType = [Number, String];
    (spec.inputs.get('namespace') as PortNamespace).validator = validatorFunction;
  }
}

function makeBaseProcess() {
  return class BaseProcess extends FakeProcess {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.input('a', { validType: String, default: 'a' });
      spec.input('b', { validType: String, default: 'b' });
      spec.inputs.dynamic = true;
      spec.inputs.validType = String;
    }
  };
}

function makeExposeProcess(base: typeof FakeProcess) {
  return class ExposeProcess extends FakeProcess {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.exposeInputs(base, { namespace: 'base.name.space' });
      spec.input('c', { validType: Number, default: 1 });
      spec.input('d', { validType: Number, default: 2 });
      spec.inputs.dynamic = true;
      spec.inputs.validType = Number;
    }
  };
}

function portNames(process: typeof FakeProcess, namespace?: string): string[] {
  const inputs = process.spec().inputs;
  const ns = namespace === undefined ? inputs : (inputs.getPort(namespace) as PortNamespace);
  return [...ns.keys()].sort();
}

function namespaceProperties(namespace: PortNamespace): Record<string, unknown> {
  return {
    help: namespace.help,
    required: namespace.required,
    validator: namespace.validator,
    validType: namespace.validType,
    default: namespace.default,
    dynamic: namespace.dynamic,
    populateDefaults: namespace.populateDefaults,
  };
}

function expectSameNamespaceProperties(
  left: typeof FakeProcess,
  leftName: string,
  right: typeof FakeProcess,
  rightName: string,
): void {
  expect(namespaceProperties(right.spec().inputs.getPort(rightName) as PortNamespace)).toEqual(
    namespaceProperties(left.spec().inputs.getPort(leftName) as PortNamespace),
  );
}

/** A child spec whose input namespace has every property set to a non-default value. */
function childSpecProvider(): { spec(): ProcessSpec } {
  const child = new ProcessSpec();
  child.input('a', { validType: Number });
  child.input('b', { validType: String });
  child.inputs.validator = validatorFunction;
  child.inputs.validType = Boolean;
  child.inputs.required = false;
  child.inputs.dynamic = true;
  child.inputs.default = true;
  child.inputs.help = 'testing';
  return { spec: () => child };
}

describe('exposeInputs', () => {
  it('keeps an exposed dynamic namespace dynamic', () => {
    class Lower extends FakeProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.inputNamespace('foo', { dynamic: true });
      }
    }
    class Upper extends FakeProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.exposeInputs(Lower);
      }
    }
    expect((Lower.spec().inputs.get('foo') as PortNamespace).dynamic).toBe(true);
    expect((Upper.spec().inputs.get('foo') as PortNamespace).dynamic).toBe(true);
  });

  it('creates nested namespaces while keeping its own ports', () => {
    const ExposeProcess = makeExposeProcess(makeBaseProcess());
    const inputs = ExposeProcess.spec().inputs;
    expect(inputs.has('base')).toBe(true);
    expect((inputs.get('base') as PortNamespace).has('name')).toBe(true);
    expect(inputs.getPort('base.name.space')).toBeDefined();
    expect(portNames(ExposeProcess)).toEqual(['base', 'c', 'd']);
    expect((inputs.get('c') as InputPort).default).toBe(1);
    expect((inputs.get('d') as InputPort).default).toBe(2);
  });

  it('copies the exposed ports', () => {
    const BaseProcess = makeBaseProcess();
    const ExposeProcess = makeExposeProcess(BaseProcess);
    const exposed = ExposeProcess.spec().inputs.getPort('base.name.space') as PortNamespace;
    expect(portNames(ExposeProcess, 'base.name.space')).toEqual(['a', 'b']);
    expect((exposed.get('a') as InputPort).default).toBe('a');
    expect((exposed.get('b') as InputPort).default).toBe('b');

    (BaseProcess.spec().inputs.get('a') as InputPort).default = 'c';
    expect((BaseProcess.spec().inputs.get('a') as InputPort).default).toBe('c');
    expect((exposed.get('a') as InputPort).default).toBe('a');
  });

  it('copies the namespace attributes', () => {
    const BaseProcess = makeBaseProcess();
    const ExposeProcess = makeExposeProcess(BaseProcess);
    const inputs = ExposeProcess.spec().inputs;
    const exposed = inputs.getPort('base.name.space') as PortNamespace;
    expect(BaseProcess.spec().inputs.validType).toBe(String);
    expect(exposed.validType).toBe(String);
    expect(inputs.validType).toBe(Number);

    BaseProcess.spec().inputs.validType = Boolean;
    expect(exposed.validType).toBe(String);
    expect(inputs.validType).toBe(Number);
  });

  it('validates the exposed inputs with full breadcrumbs', () => {
    const ExposeProcess = makeExposeProcess(makeBaseProcess());
    const spec = ExposeProcess.spec();
    const inputs = spec.preProcessInputs({ base: { name: { space: { extra: 'x' } } } });
    expect(inputs).toEqual({ c: 1, d: 2, base: { name: { space: { a: 'a', b: 'b', extra: 'x' } } } });
    expect(spec.validateInputs(inputs)).toBeUndefined();
    expect(spec.validateInputs({ ...inputs, base: { name: { space: { a: 1 } } } })?.message).toBe(
      "Error occurred validating port 'inputs.base.name.space.a': value 'a' is not of the right type. Got 'number', expected 'String'",
    );
    expect(spec.validateInputs({ ...inputs, base: { name: { space: { a: 'a', b: 'b', extra: 1 } } } })?.port).toBe(
      'inputs.base.name.space.extra',
    );
  });

  it('excludes ports', () => {
    const BaseProcess = makeBaseProcess();
    class ExcludeProcess extends FakeProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.exposeInputs(BaseProcess, { exclude: ['a'] });
        spec.input('c', { validType: Number, default: 1 });
        spec.input('d', { validType: Number, default: 2 });
      }
    }
    expect(portNames(ExcludeProcess)).toEqual(['b', 'c', 'd']);
  });

  it('includes only the given ports', () => {
    const BaseProcess = makeBaseProcess();
    class IncludeProcess extends FakeProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.exposeInputs(BaseProcess, { include: ['b'] });
        spec.input('c', { validType: Number, default: 1 });
        spec.input('d', { validType: Number, default: 2 });
      }
    }
    expect(portNames(IncludeProcess)).toEqual(['b', 'c', 'd']);
  });

  it('rejects include together with exclude', () => {
    const BaseProcess = makeBaseProcess();
    class BothProcess extends FakeProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.exposeInputs(BaseProcess, { exclude: ['a'], include: ['b'] });
      }
    }
    expect(() => BothProcess.spec()).toThrow(PortDefinitionError);
    expect(() => BothProcess.spec()).toThrow('exclude and include are mutually exclusive');
  });

  it('overrides the top-level namespace properties with the exposed ones', () => {
    const parent = new ProcessSpec();
    parent.input('c', { validType: Number });
    parent.exposeInputs(childSpecProvider(), { exclude: [] });
    expect(parent.hasInput('a') && parent.hasInput('b') && parent.hasInput('c')).toBe(true);
    expect(parent.inputs.validator).toBe(validatorFunction);
    expect(parent.inputs.validType).toBe(Boolean);
    expect(parent.inputs.required).toBe(false);
    expect(parent.inputs.dynamic).toBe(true);
    expect(parent.inputs.default).toBe(true);
    expect(parent.inputs.help).toBe('testing');
  });

  it('lets namespaceOptions have the last word', () => {
    const parent = new ProcessSpec();
    parent.input('c', { validType: Number });
    parent.exposeInputs(childSpecProvider(), {
      exclude: [],
      namespaceOptions: {
        validator: undefined,
        validType: undefined,
        required: true,
        dynamic: false,
        default: null,
        help: undefined,
      },
    });
    expect(parent.hasInput('a') && parent.hasInput('b') && parent.hasInput('c')).toBe(true);
    expect(parent.inputs.validator).toBeUndefined();
    expect(parent.inputs.validType).toBeUndefined();
    expect(parent.inputs.required).toBe(true);
    expect(parent.inputs.dynamic).toBe(false);
    expect(parent.inputs.default).toBeNull();
    expect(parent.inputs.help).toBeUndefined();
  });

  it('copies the properties onto a new namespace', () => {
    const parent = new ProcessSpec();
    parent.input('c', { validType: Number });
    parent.exposeInputs(childSpecProvider(), { namespace: 'namespace', exclude: [] });
    const namespace = parent.inputs.get('namespace') as PortNamespace;
    expect(namespace.has('a') && namespace.has('b') && parent.hasInput('c')).toBe(true);
    expect(namespace.validator).toBe(validatorFunction);
    expect(namespace.validType).toBe(Boolean);
    expect(namespace.required).toBe(false);
    expect(namespace.dynamic).toBe(true);
    expect(namespace.default).toBe(true);
    expect(namespace.help).toBe('testing');
  });

  it('rejects namespaceOptions that are not namespace properties', () => {
    const parent = new ProcessSpec();
    expect(() =>
      parent.exposeInputs(
        { spec: () => new ProcessSpec() },
        { exclude: [], namespaceOptions: { nonExistent: null } as unknown as { help: string } },
      ),
    ).toThrow(PortDefinitionError);
  });

  describe('nested include rules', () => {
    function expose(include: string[]) {
      return class ExposeProcess extends FakeProcess {
        static override define(spec: ProcessSpec): void {
          super.define(spec);
          spec.exposeInputs(BaseNamespaceProcess, { namespace: 'base', include });
        }
      };
    }

    it('top level', () => {
      const P = expose(['top']);
      expect(portNames(P)).toEqual(['base']);
      expect(portNames(P, 'base')).toEqual(['top']);
    });

    it('whole namespace', () => {
      const P = expose(['namespace']);
      expect(portNames(P)).toEqual(['base']);
      expect(portNames(P, 'base')).toEqual(['namespace']);
      expect(portNames(P, 'base.namespace')).toEqual(['sub_one', 'sub_two']);
      expectSameNamespaceProperties(BaseNamespaceProcess, 'namespace', P, 'base.namespace');
    });

    it('port inside a namespace', () => {
      const P = expose(['namespace.sub_two']);
      expect(portNames(P, 'base')).toEqual(['namespace']);
      expect(portNames(P, 'base.namespace')).toEqual(['sub_two']);
      expectSameNamespaceProperties(BaseNamespaceProcess, 'namespace', P, 'base.namespace');
    });

    it('combination', () => {
      const P = expose(['namespace.sub_two', 'top']);
      expect(portNames(P, 'base')).toEqual(['namespace', 'top']);
      expect(portNames(P, 'base.namespace')).toEqual(['sub_two']);
      expectSameNamespaceProperties(BaseNamespaceProcess, 'namespace', P, 'base.namespace');
    });
  });

  describe('nested exclude rules', () => {
    function expose(exclude: string[]) {
      return class ExposeProcess extends FakeProcess {
        static override define(spec: ProcessSpec): void {
          super.define(spec);
          spec.exposeInputs(BaseNamespaceProcess, { namespace: 'base', exclude });
        }
      };
    }

    it('top level', () => {
      const P = expose(['top']);
      expect(portNames(P)).toEqual(['base']);
      expect(portNames(P, 'base')).toEqual(['namespace']);
      expect(portNames(P, 'base.namespace')).toEqual(['sub_one', 'sub_two']);
      expectSameNamespaceProperties(BaseNamespaceProcess, 'namespace', P, 'base.namespace');
    });

    it('whole namespace', () => {
      const P = expose(['namespace']);
      expect(portNames(P, 'base')).toEqual(['top']);
    });

    it('port inside a namespace', () => {
      const P = expose(['namespace.sub_two']);
      expect(portNames(P, 'base')).toEqual(['namespace', 'top']);
      expect(portNames(P, 'base.namespace')).toEqual(['sub_one']);
      expectSameNamespaceProperties(BaseNamespaceProcess, 'namespace', P, 'base.namespace');
    });

    it('combination', () => {
      const P = expose(['namespace.sub_two', 'top']);
      expect(portNames(P, 'base')).toEqual(['namespace']);
      expect(portNames(P, 'base.namespace')).toEqual(['sub_one']);
      expectSameNamespaceProperties(BaseNamespaceProcess, 'namespace', P, 'base.namespace');
    });
  });

  it('does not resurrect an excluded port for a validator that looks it up', () => {
    // plumpy issue #267: the validator of the exposed namespace checks whether port 'a' exists.
    class Base extends FakeProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.input('a', { required: false });
        spec.inputs.dynamic = true;
        spec.inputs.validator = (value, port) => {
          if (!(port as PortNamespace).hasPort('a')) return undefined;
          const a = (value as Record<string, unknown>).a;
          return typeof a === 'string' ? undefined : `value for input \`a\` should be a str, but got: ${typeof a}`;
        };
      }
    }
    class Expose extends FakeProcess {
      static override define(spec: ProcessSpec): void {
        super.define(spec);
        spec.exposeInputs(Base, { namespace: 'base', exclude: ['a'] });
      }
    }
    expect(Expose.spec().validateInputs({})).toBeUndefined();
    expect(Expose.spec().hasInput('base.a')).toBe(false);
    expect(Base.spec().validateInputs({ a: 1 })?.detail).toBe('value for input `a` should be a str, but got: number');
  });

  it('remembers what was exposed and extracts those inputs', () => {
    const BaseProcess = makeBaseProcess();
    const parent = new ProcessSpec();
    parent.exposeInputs(BaseProcess, { namespace: 'child', exclude: ['b'] });
    parent.exposeInputs(BaseNamespaceProcess, { include: ['top'] });
    expect(parent.exposedInputNames(BaseProcess, 'child')).toEqual(['a']);
    expect(parent.exposedInputNames(BaseNamespaceProcess)).toEqual(['top']);
    expect(parent.exposedInputNames(BaseProcess)).toBeUndefined();
    const values = { top: 1, child: { a: 'x', b: 'y', other: 'z' } };
    expect(parent.extractExposedInputs(values, BaseProcess, 'child')).toEqual({ a: 'x' });
    expect(parent.extractExposedInputs(values, BaseNamespaceProcess)).toEqual({ top: 1 });
    expect(parent.extractExposedInputs(values, BaseProcess)).toEqual({});
  });
});

describe('exposeOutputs', () => {
  class Child extends FakeProcess {
    static override define(spec: ProcessSpec): void {
      super.define(spec);
      spec.output('x', { validType: Number });
      spec.output('y', { validType: String, required: false });
      spec.output('ns.z');
    }
  }

  it('copies outputs into a namespace with include/exclude rules', () => {
    const parent = new ProcessSpec();
    parent.exposeOutputs(Child, { namespace: 'child', exclude: ['ns.z'] });
    expect([...(parent.outputs.get('child') as PortNamespace).keys()]).toEqual(['x', 'y', 'ns']);
    expect((parent.outputs.getPort('child.ns') as PortNamespace).size).toBe(0);
    expect(parent.validateOutputs({ child: { x: 1 } })).toBeUndefined();
    expect(parent.validateOutputs({ child: { x: 'no' } })?.port).toBe('outputs.child.x');
    expect(parent.exposedOutputNames(Child, 'child')).toEqual(['x', 'y', 'ns']);
  });

  it('places a child outputs under the namespace', () => {
    const parent = new ProcessSpec();
    parent.exposeOutputs(Child, { namespace: 'a.b', include: ['x'] });
    expect(parent.extractExposedOutputs({ x: 1, y: 'y' }, Child, 'a.b')).toEqual({ a: { b: { x: 1 } } });
    const flat = new ProcessSpec();
    flat.exposeOutputs(Child, { include: ['x', 'y'] });
    expect(flat.extractExposedOutputs({ x: 1 }, Child)).toEqual({ x: 1 });
  });
});
