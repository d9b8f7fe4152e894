import { beforeEach, describe, expect, it } from 'vitest';
import { InputPort } from './input-port.js';
import { OutputPort } from './output-port.js';
import type { Port } from './port.js';
import { PortDefinitionError } from './port-definition-error.js';
import { PortNamespace } from './port-namespace.js';
import { PortNotFoundError } from './port-not-found-error.js';
import { UNSPECIFIED } from './unspecified.js';

const BASE = 'port';

describe('PortNamespace', () => {
  let port: InputPort;
  let namespace: PortNamespace;

  beforeEach(() => {
    port = new InputPort(BASE);
    namespace = new PortNamespace(BASE);
  });

  describe('as a mapping', () => {
    it('starts empty', () => {
      expect(namespace.name).toBe(BASE);
      expect(namespace.size).toBe(0);
      expect(namespace.get('non_existent')).toBeUndefined();
      expect(() => namespace.addPort(5 as unknown as Port, 'key')).toThrow(TypeError);
    });

    it('iterates its ports in declaration order', () => {
      namespace.addPort(new InputPort('b'));
      namespace.addPort(new InputPort('a'));
      namespace.createPortNamespace('ns');
      expect([...namespace.keys()]).toEqual(['b', 'a', 'ns']);
      expect([...namespace].map(([name, p]) => [name, p.name])).toEqual([
        ['b', 'b'],
        ['a', 'a'],
        ['ns', 'ns'],
      ]);
      expect([...namespace.values()].map((p) => p.constructor.name)).toEqual(['InputPort', 'InputPort', 'PortNamespace']);
      expect([...namespace.entries()]).toHaveLength(3);
      expect(Object.keys(namespace.ports)).toEqual(['b', 'a', 'ns']);
      expect(namespace.has('a')).toBe(true);
    });

    it('replaces a port of the same name and removes ports', () => {
      namespace.addPort(new InputPort('a'));
      namespace.addPort(new InputPort('b'));
      const replacement = namespace.addPort(new InputPort('a', { validType: Number }));
      expect(namespace.get('a')).toBe(replacement);
      expect(namespace.size).toBe(2);
      expect(namespace.removePort('a')).toBe(true);
      expect(namespace.removePort('a')).toBe(false);
      expect([...namespace.keys()]).toEqual(['b']);
    });

    it('adds a port at a dotted name, creating namespaces', () => {
      namespace.addPort(port, 'some.nested.namespace.base');
      expect(namespace.get('some')).toBeInstanceOf(PortNamespace);
      expect(namespace.getPort('some.nested')).toBeInstanceOf(PortNamespace);
      expect(namespace.getPort('some.nested.namespace.base')).toBe(port);
    });
  });

  describe('valid type and dynamic', () => {
    it('sets dynamic when a valid type is given', () => {
      expect(new PortNamespace('', { dynamic: true }).validType).toBeUndefined();
      expect(new PortNamespace('', { dynamic: true }).dynamic).toBe(true);

      const typed = new PortNamespace('', { validType: Number });
      expect(typed.validType).toBe(Number);
      expect(typed.dynamic).toBe(true);

      // An explicit dynamic: false makes no sense with a valid type and is ignored.
      const contradictory = new PortNamespace('', { dynamic: false, validType: Number });
      expect(contradictory.dynamic).toBe(true);
    });

    it('becomes dynamic when a valid type is set', () => {
      expect(namespace.dynamic).toBe(false);
      namespace.validType = [String, Number];
      expect(namespace.dynamic).toBe(true);
      expect(namespace.validType).toEqual([String, Number]);
    });

    it('stays dynamic when the valid type is removed', () => {
      namespace.validType = Number;
      namespace.validType = undefined;
      expect(namespace.dynamic).toBe(true);
      expect(namespace.validType).toBeUndefined();
    });
  });

  describe('getPort', () => {
    it('finds nested ports and namespaces only when they exist', () => {
      expect(() => namespace.getPort('')).toThrow(PortNotFoundError);
      expect(() => namespace.getPort(5 as unknown as string)).toThrow(PortNotFoundError);
      expect(() => namespace.getPort('sub')).toThrow("port 'sub' does not exist in port namespace 'port'");

      const sub = namespace.createPortNamespace('sub');
      expect(namespace.getPort('sub')).toBe(sub);
      expect(() => namespace.getPort('sub.name.space')).toThrow(PortNotFoundError);

      const deep = namespace.createPortNamespace('sub.name.space');
      expect(namespace.getPort('sub.name.space')).toBe(deep);
      deep.addPort(port);
      expect(namespace.getPort(`sub.name.space.${BASE}`)).toBe(port);
      expect(() => namespace.getPort(`sub.name.space.${BASE}.further`)).toThrow(/is not a namespace/);
    });

    it('creates missing namespaces of a dynamic namespace on request', () => {
      const validator = (): undefined => undefined;
      const dynamic = new PortNamespace(BASE, { dynamic: true, validType: Number, validator, required: false });
      const created = dynamic.getPort('undefined', { createDynamically: true });
      expect(created).toBeInstanceOf(PortNamespace);
      const sub = created as PortNamespace;
      expect(sub.dynamic).toBe(true);
      expect(sub.name).toBe('undefined');
      expect(sub.validType).toBe(Number);
      expect(sub.validator).toBe(validator);
      expect(sub.required).toBe(false);

      const nested = dynamic.getPort('nested.undefined', { createDynamically: true });
      expect(nested).toBeInstanceOf(PortNamespace);
      expect(nested.name).toBe('undefined');
      expect(() => namespace.getPort('x', { createDynamically: true })).toThrow(PortNotFoundError);
    });

    it('creates dynamic namespaces even when sealed', () => {
      const dynamic = new PortNamespace('outputs', { dynamic: true });
      dynamic.seal();
      const created = dynamic.getPort('child.grandchild', { createDynamically: true });
      expect(created.name).toBe('grandchild');
      expect(dynamic.hasPort('child.grandchild')).toBe(true);
    });

    it('tryGetPort and hasPort never throw or create', () => {
      namespace.addPort(port, 'a.b');
      expect(namespace.tryGetPort('a.b')).toBe(port);
      expect(namespace.tryGetPort('a')).toBeInstanceOf(PortNamespace);
      expect(namespace.tryGetPort('a.c')).toBeUndefined();
      expect(namespace.tryGetPort('a.b.c')).toBeUndefined();
      expect(namespace.tryGetPort('zz.b')).toBeUndefined();
      expect(namespace.hasPort('a.b')).toBe(true);
      expect(namespace.hasPort('b')).toBe(false);
    });
  });

  describe('createPortNamespace', () => {
    it('creates nested namespaces and keeps existing ones', () => {
      expect(() => namespace.createPortNamespace('')).toThrow(PortDefinitionError);
      expect(() => namespace.createPortNamespace(5 as unknown as string)).toThrow(PortDefinitionError);
      expect(() => namespace.createPortNamespace('a..b')).toThrow(PortDefinitionError);

      const sub = namespace.createPortNamespace('sub');
      namespace.createPortNamespace('some.nested.sub.space');
      const space = namespace.createPortNamespace('sub.nested.space');
      expect(namespace.get('sub')).toBe(sub);
      space.addPort(port);
      expect(() => namespace.createPortNamespace(`sub.nested.space.${BASE}.further`)).toThrow(
        "the name 'port' in 'space' already contains a Port",
      );
    });

    it('applies options only to the terminal namespace', () => {
      namespace.createPortNamespace('test.space', { dynamic: true, validType: Number });
      const test = namespace.get('test') as PortNamespace;
      const space = test.get('space') as PortNamespace;
      expect(test.dynamic).toBe(false);
      expect(space.dynamic).toBe(true);
      expect(test.validType).toBeUndefined();
      expect(space.validType).toBe(Number);
    });

    it('does not override intermediate namespaces', () => {
      const original = namespace.createPortNamespace('name.space', { dynamic: true, validType: Number });
      const deeper = namespace.createPortNamespace('name.space.base');
      expect(original.dynamic).toBe(true);
      expect(original.validType).toBe(Number);
      expect(deeper.dynamic).toBe(false);
      expect(deeper.validType).toBeUndefined();
      namespace.addPort(port, 'name.space.port');
      expect(namespace.getPort('name.space')).toBe(original);
      expect(original.validType).toBe(Number);
    });
  });

  describe('validate', () => {
    it('validates explicit ports before calling the namespace validator', () => {
      const seen: unknown[] = [];
      namespace.addPort(new InputPort('explicit', { validType: Number }));
      namespace.validator = (values, p) => {
        expect(p).toBe(namespace);
        seen.push(values);
        const v = values as Record<string, number>;
        return (v.explicit ?? 0) < 0 || (v.dynamic ?? 0) < 0 ? 'Only positive integers allowed' : undefined;
      };
      namespace.validType = Number;

      expect(namespace.validate({ explicit: 1, dynamic: 5 })).toBeUndefined();
      expect(seen).toEqual([{ explicit: 1, dynamic: 5 }]);
      const error = namespace.validate({ dynamic: -5 });
      // The required explicit port is missing: that is reported first.
      expect(error?.message).toBe("Error occurred validating port 'port.explicit': required value was not provided for 'explicit'");
      expect(namespace.validate({ explicit: 1, dynamic: -5 })?.message).toBe(
        "Error occurred validating port 'port': Only positive integers allowed",
      );

      // Not required and no values: valid without calling the validator.
      namespace.required = false;
      seen.length = 0;
      expect(namespace.validate()).toBeUndefined();
      expect(namespace.validate({})).toBeUndefined();
      expect(seen).toEqual([]);
    });

    it('calls the validator of a required namespace even without values', () => {
      namespace.validator = () => 'always invalid';
      expect(namespace.validate(undefined)?.message).toBe("Error occurred validating port 'port': always invalid");
    });

    it('rejects values that are not plain objects', () => {
      expect(namespace.validate(5)?.message).toBe(
        "Error occurred validating port 'port': specified value is of type 'number' which is not a plain object",
      );
      expect(namespace.validate([1])?.detail).toMatch(/'Array'/);
    });

    it('accepts arbitrarily nested values in a typed dynamic namespace', () => {
      const space = namespace.createPortNamespace('sub.space');
      space.validType = Number;
      expect(space.dynamic).toBe(true);

      expect(namespace.validate({ sub: { space: { output: 5 } } })).toBeUndefined();
      expect(namespace.validate({ sub: { space: { output: { invalid: 5 } } } })).toBeUndefined();

      const error = namespace.validate({ sub: { space: { output: '5' } } });
      expect(error?.port).toBe('port.sub.space.output');
      expect(error?.detail).toBe("Invalid type 'string' for dynamic port value: expected 'Number'");

      const deep = namespace.validate({ sub: { space: { output: { nested: { leaf: true } } } } });
      expect(deep?.port).toBe('port.sub.space.output.nested.leaf');
    });

    it('accepts a dynamic value of a plain-object type without walking into it', () => {
      const ns = new PortNamespace('inputs', { validType: Object });
      expect(ns.validate({ x: { a: 1 } })).toBeUndefined();
      expect(ns.validate({ x: 1 })?.detail).toBe("Invalid type 'number' for dynamic port value: expected 'Object'");
    });

    it('accepts any dynamic value without a valid type', () => {
      const ns = new PortNamespace('inputs', { dynamic: true });
      expect(ns.validate({ a: 1, b: { c: 'x' }, d: null })).toBeUndefined();
    });

    it('rejects unexpected ports in a non dynamic namespace', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('a', { required: false }));
      expect(ns.validate({ a: 1, z: 2 })?.message).toBe(
        'Error occurred validating port \'inputs\': Unexpected ports {"z":2}, for a non dynamic namespace',
      );
      const nested = ns.createPortNamespace('ns');
      nested.addPort(new InputPort('p', { required: false }));
      expect(ns.validate({ ns: { p: 1, q: 'x', r: [1] } })?.message).toBe(
        'Error occurred validating port \'inputs.ns\': Unexpected ports {"q":"x","r":[1]}, for a non dynamic namespace',
      );
    });

    it('treats undefined values as absent', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('a', { required: false }));
      expect(ns.validate({ a: undefined, z: undefined })).toBeUndefined();
    });

    it('does not mistake inherited properties for values', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('toString'));
      expect(ns.validate({})?.detail).toBe("required value was not provided for 'toString'");
    });

    it('reports required ports', () => {
      const space = namespace.createPortNamespace('sub.space');
      space.validType = Number;
      namespace.addPort(new OutputPort('required_port', { validType: Number, required: true }));

      expect(namespace.validate({})?.port).toBe('port.required_port');
      expect(namespace.validate({ sub: { space: { output: 5 } } })?.port).toBe('port.required_port');
      expect(namespace.validate({ sub: { space: { output: 5 } }, required_port: 1 })).toBeUndefined();
      expect(namespace.validate({ required_port: 1 })).toBeUndefined();
    });

    it('reports the path of a deeply nested failure', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('port', { validType: Number }), 'ns.sub.port');
      expect(ns.validate({ ns: { sub: { port: 'x' } } })?.message).toBe(
        "Error occurred validating port 'inputs.ns.sub.port': value 'port' is not of the right type. Got 'string', expected 'Number'",
      );
      expect(ns.validate({ ns: { sub: {} } })?.port).toBe('inputs.ns.sub.port');
      expect(ns.validate({ ns: { sub: 3 } })?.port).toBe('inputs.ns.sub');
    });

    it('accepts UNSPECIFIED for the namespace value', () => {
      expect(new PortNamespace('x', { required: false }).validate(UNSPECIFIED)).toBeUndefined();
    });
  });

  describe('validateAll', () => {
    it('reports every failing path', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('a', { validType: Number }));
      ns.addPort(new InputPort('b'));
      ns.addPort(new InputPort('port', { validType: String }), 'ns.sub.port');
      ns.addPort(new InputPort('other'), 'ns.other');
      ns.createPortNamespace('dyn', { validType: Number, required: false });
      let validatorCalls = 0;
      ns.validator = () => {
        validatorCalls++;
        return 'namespace invalid';
      };
      const errors = ns.validateAll({ a: 'x', ns: { sub: { port: 1 } }, dyn: { p: 'q', r: 1, s: true }, z: 2 });
      expect(errors.map((e) => e.port)).toEqual([
        'inputs.a',
        'inputs.b',
        'inputs.ns.sub.port',
        'inputs.ns.other',
        'inputs.dyn.p',
        'inputs.dyn.s',
        'inputs',
      ]);
      expect(errors[0]?.message).toBe(
        "Error occurred validating port 'inputs.a': value 'a' is not of the right type. Got 'string', expected 'Number'",
      );
      expect(errors[6]?.detail).toBe('Unexpected ports {"z":2}, for a non dynamic namespace');
      expect(validatorCalls).toBe(0);

      expect(ns.validateAll({ a: 1, b: 2, ns: { sub: { port: 'p' }, other: 3 } }).map((e) => e.message)).toEqual([
        "Error occurred validating port 'inputs': namespace invalid",
      ]);
      expect(validatorCalls).toBe(1);
      ns.validator = undefined;
      expect(ns.validateAll({ a: 1, b: 2, ns: { sub: { port: 'p' }, other: 3 } })).toEqual([]);
      expect(ns.validateAll(5).map((e) => e.port)).toEqual(['inputs']);
      expect(new PortNamespace('x', { required: false }).validateAll(undefined)).toEqual([]);
    });
  });

  describe('validateValueAt', () => {
    let outputs: PortNamespace;
    beforeEach(() => {
      outputs = new PortNamespace('outputs');
      outputs.addPort(new OutputPort('x', { validType: Number }));
      outputs.addPort(new OutputPort('y', { validType: String }), 'ns.y');
      outputs.createPortNamespace('dyn', { validType: Number });
    });

    it('validates declared ports', () => {
      expect(outputs.validateValueAt('x', 1)).toBeUndefined();
      expect(outputs.validateValueAt('x', 'a')?.message).toBe(
        "Error occurred validating port 'outputs.x': value 'x' is not of the right type. Got 'string', expected 'Number'",
      );
      expect(outputs.validateValueAt('ns.y', 'a')).toBeUndefined();
      expect(outputs.validateValueAt('ns.y', 1)?.port).toBe('outputs.ns.y');
    });

    it('rejects undeclared names outside dynamic namespaces', () => {
      expect(outputs.validateValueAt('z', 1)?.message).toBe(
        'Error occurred validating port \'outputs\': Unexpected ports {"z":1}, for a non dynamic namespace',
      );
      expect(outputs.validateValueAt('ns.q.r', 1)?.detail).toBe('Unexpected ports {"q":{"r":1}}, for a non dynamic namespace');
      expect(outputs.validateValueAt('x.sub', 1)?.detail).toBe("port 'x' is not a namespace");
    });

    it('types values in dynamic namespaces without creating ports', () => {
      expect(outputs.validateValueAt('dyn.a', 1)).toBeUndefined();
      expect(outputs.validateValueAt('dyn.a.b', 2)).toBeUndefined();
      expect(outputs.validateValueAt('dyn.a.b', 'x')?.port).toBe('outputs.dyn.a.b');
      expect(outputs.hasPort('dyn.a')).toBe(false);
    });
  });

  describe('preProcess', () => {
    it('fills defaults, including falsy ones, without changing the input', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('zero', { default: 0 }));
      ns.addPort(new InputPort('no', { default: false }));
      ns.addPort(new InputPort('empty', { default: '' }));
      ns.addPort(new InputPort('nil', { default: null }));
      ns.addPort(new InputPort('given', { default: 1 }));
      ns.addPort(new InputPort('none'));
      const raw = { given: 2, extra: 'kept' };
      const processed = ns.preProcess(raw);
      expect(processed).toEqual({ zero: 0, no: false, empty: '', nil: null, given: 2, extra: 'kept' });
      expect(raw).toEqual({ given: 2, extra: 'kept' });
      expect('none' in processed).toBe(false);
      expect(ns.validate(processed)).toBeDefined(); // 'none' is required and the namespace is not dynamic
    });

    it('fills defaults of nested namespaces unless populateDefaults is off', () => {
      const base = new PortNamespace('base');
      const normal = base.createPortNamespace('normal', { populateDefaults: true });
      normal.addPort(new InputPort('with_default', { default: 1, validType: Number }));
      normal.addPort(new InputPort('without_default', { validType: Number }));
      const processed = base.preProcess({});
      expect(processed).toEqual({ normal: { with_default: 1 } });

      const lazyBase = new PortNamespace('base');
      const lazy = lazyBase.createPortNamespace('lazy', { populateDefaults: false, required: false });
      lazy.addPort(new InputPort('with_default', { default: 1, validType: Number }));
      lazy.addPort(new InputPort('without_default', { validType: Number }));
      expect(lazyBase.preProcess({})).toEqual({});
      // Once a value is given for the namespace, its defaults are filled in.
      expect(lazyBase.preProcess({ lazy: {} })).toEqual({ lazy: { with_default: 1 } });
    });

    it('leaves out empty nested namespaces and uses namespace defaults', () => {
      const ns = new PortNamespace('inputs');
      ns.createPortNamespace('empty');
      ns.createPortNamespace('withDefault', { default: { a: 1 }, dynamic: true });
      expect(ns.preProcess()).toEqual({ withDefault: { a: 1 } });
    });

    it('evaluates lambda defaults once per call, only when no value is given', () => {
      let calls = 0;
      const ns = new PortNamespace('base');
      ns.addPort(
        new InputPort('lambda_default', {
          default: () => {
            calls++;
            return 1;
          },
          validType: [Function, Number],
        }),
      );

      const first = ns.preProcess({});
      expect(first.lambda_default).toBe(1);
      expect(ns.validate(first)).toBeUndefined();
      expect(calls).toBe(1);
      ns.preProcess({});
      expect(calls).toBe(2);

      const given = ns.preProcess({ lambda_default: 5 });
      expect(given.lambda_default).toBe(5);
      expect(calls).toBe(2);

      // A function given as the value is kept, not called.
      const someLambda = (): number => 5;
      const kept = ns.preProcess({ lambda_default: someLambda });
      expect(kept.lambda_default).toBe(someLambda);
      expect(ns.validate(kept)).toBeUndefined();
      expect(calls).toBe(2);
    });

    it('validates the result of a lambda default at validation time', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('a', { default: () => 'string', validType: Number }));
      expect(ns.validate(ns.preProcess({}))?.message).toBe(
        "Error occurred validating port 'inputs.a': value 'a' is not of the right type. Got 'string', expected 'Number'",
      );
    });

    it('keeps a non-object value given for a namespace so validation reports it', () => {
      const ns = new PortNamespace('inputs');
      ns.addPort(new InputPort('p', { default: 1 }), 'sub.p');
      const processed = ns.preProcess({ sub: 7 });
      expect(processed).toEqual({ sub: 7 });
      expect(ns.validate(processed)?.port).toBe('inputs.sub');
    });
  });

  describe('absorb', () => {
    let source: PortNamespace;
    beforeEach(() => {
      source = new PortNamespace('source', { dynamic: true, help: 'src' });
      source.addPort(new InputPort('a', { validType: String, default: 'a' }));
      source.addPort(new InputPort('b'));
      source.addPort(new InputPort('one', { required: false }), 'ns.one');
      source.addPort(new InputPort('two', { required: false }), 'ns.two');
      source.addPort(new InputPort('deep', { required: false }), 'ns.sub.deep');
    });

    it('copies all ports and properties', () => {
      const target = new PortNamespace('target');
      expect(target.absorb(source)).toEqual(['a', 'b', 'ns']);
      expect(target.dynamic).toBe(true);
      expect(target.help).toBe('src');
      expect(target.getPort('ns.sub.deep')).not.toBe(source.getPort('ns.sub.deep'));
      expect(target.getPort('a')).not.toBe(source.getPort('a'));
      expect((target.getPort('a') as InputPort).default).toBe('a');
    });

    it('applies include and exclude rules, nested by dots', () => {
      const included = new PortNamespace('t');
      expect(included.absorb(source, { include: ['a', 'ns.sub'] })).toEqual(['a', 'ns']);
      expect([...(included.get('ns') as PortNamespace).keys()]).toEqual(['sub']);
      expect([...(included.getPort('ns.sub') as PortNamespace).keys()]).toEqual(['deep']);

      const excluded = new PortNamespace('t');
      expect(excluded.absorb(source, { exclude: ['a', 'ns.sub.deep', 'ns.one'] })).toEqual(['b', 'ns']);
      expect([...(excluded.get('ns') as PortNamespace).keys()]).toEqual(['two', 'sub']);
      expect((excluded.getPort('ns.sub') as PortNamespace).size).toBe(0);

      const nothing = new PortNamespace('t');
      expect(nothing.absorb(source, { include: [] })).toEqual([]);
    });

    it('does not confuse a namespace with a longer name sharing its prefix', () => {
      const target = new PortNamespace('t');
      expect(target.absorb(source, { include: ['nsx.one'] })).toEqual([]);
    });

    it('rejects include with exclude and unknown namespace options', () => {
      const target = new PortNamespace('t');
      expect(() => target.absorb(source, { include: ['a'], exclude: ['b'] })).toThrow(
        'exclude and include are mutually exclusive',
      );
      expect(() =>
        target.absorb(source, { namespaceOptions: { nonExistent: 1 } as unknown as { help: string } }),
      ).toThrow(PortDefinitionError);
      expect(() => target.absorb({} as PortNamespace)).toThrow(TypeError);
    });
  });

  describe('project', () => {
    it('keeps only the keys that are ports, recursively', () => {
      namespace.addPort(new InputPort('a'));
      namespace.addPort(new InputPort('x'), 'ns.x');
      expect(namespace.project({ a: 1, b: 2, ns: { x: 3, y: 4 } })).toEqual({ a: 1, ns: { x: 3 } });
    });
  });

  describe('clone', () => {
    it('copies properties and ports deeply', () => {
      namespace.dynamic = true;
      namespace.addPort(new InputPort('x', { default: 1 }), 'ns.x');
      const copy = namespace.clone('copy');
      expect(copy.name).toBe('copy');
      expect(copy.dynamic).toBe(true);
      expect(copy.getPort('ns.x')).not.toBe(namespace.getPort('ns.x'));
      expect(copy.getDescription()).toEqual({ ...namespace.getDescription() });
    });
  });

  describe('sealing', () => {
    it('forbids adding or removing ports at any depth', () => {
      const sub = namespace.createPortNamespace('sub');
      namespace.addPort(new InputPort('keep'));
      namespace.seal();
      expect(namespace.sealed).toBe(true);
      expect(sub.sealed).toBe(true);
      expect(() => namespace.addPort(new InputPort('late'))).toThrow(PortDefinitionError);
      expect(() => sub.addPort(new InputPort('late'))).toThrow(
        "Cannot add port 'late' in port namespace 'sub' after it has been sealed",
      );
      expect(() => namespace.createPortNamespace('other')).toThrow(PortDefinitionError);
      expect(() => namespace.removePort('keep')).toThrow(PortDefinitionError);
      expect(() => namespace.absorb(new PortNamespace('x'))).toThrow(PortDefinitionError);
      // Existing namespaces can still be looked up through createPortNamespace.
      expect(namespace.createPortNamespace('sub')).toBe(sub);
    });
  });

  describe('getDescription', () => {
    it('describes attributes and ports', () => {
      namespace.help = 'the help';
      namespace.addPort(new InputPort('a', { validType: Number, default: 3 }));
      namespace.createPortNamespace('sub', { validType: String, required: false, default: { k: 'v' } });
      expect(namespace.getDescription()).toEqual({
        _attrs: { dynamic: false, validType: null, required: true, help: 'the help', populateDefaults: true },
        a: { name: 'a', required: false, validType: 'Number', default: 3 },
        sub: {
          _attrs: {
            dynamic: true,
            validType: 'String',
            required: false,
            help: null,
            populateDefaults: true,
            default: { k: 'v' },
          },
        },
      });
      expect(JSON.parse(String(namespace))).toEqual(namespace.getDescription());
    });
  });
});
