import { beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from './exit-code.js';
import { InputPort } from './input-port.js';
import type { InputPortOptions } from './input-port.js';
import { OutputPort } from './output-port.js';
import { PortDefinitionError } from './port-definition-error.js';
import { PortNamespace } from './port-namespace.js';
import { ProcessSpec } from './process-spec.js';

class StrSubtype extends String {}

describe('ProcessSpec', () => {
  let spec: ProcessSpec;
  beforeEach(() => {
    spec = new ProcessSpec();
  });

  it('has inputs and outputs namespaces named for the breadcrumbs', () => {
    expect(spec.inputs.name).toBe(ProcessSpec.NAME_INPUTS_PORT_NAMESPACE);
    expect(spec.outputs.name).toBe('outputs');
    expect(spec.namespaceSeparator).toBe('.');
  });

  it('validates dynamic outputs against the valid type', () => {
    spec.outputs.dynamic = true;
    spec.outputs.validType = String;
    expect(spec.outputs.validate({ dummy: 'foo' })).toBeUndefined();
    expect(spec.outputs.validate({ dummy: new StrSubtype('bar') })).toBeUndefined();
    expect(spec.outputs.validate({ dummy: 5 })).toBeDefined();

    spec.outputs.dynamic = false;
    spec.outputs.validType = undefined;
    expect(spec.outputs.validate({ dummy: 'foo' })).toBeDefined();

    spec.outputs.dynamic = true;
    spec.outputs.validType = String;
    expect(spec.outputs.validate({ dummy: 'foo' })).toBeUndefined();
    expect(spec.outputs.validate({ dummy: 5 })?.message).toBe(
      "Error occurred validating port 'outputs.dummy': Invalid type 'number' for dynamic port value: expected 'String'",
    );
  });

  it('describes inputs and outputs', () => {
    spec.input('test');
    expect(spec.getDescription().inputs.test).toEqual({ name: 'test', required: true });
    const other = new ProcessSpec();
    other.output('test');
    expect(other.getDescription().outputs.test).toEqual({ name: 'test', required: true });
    expect(JSON.parse(String(other))).toEqual(other.getDescription());
  });

  it("describes the tutorial's SpecProcess", () => {
    spec.input('input1', { validType: String, help: 'A help string' });
    spec.output('output1');
    spec.inputNamespace('input2');
    spec.input('input2.input2a');
    spec.input('input2.input2b', { default: 'default' });
    spec.outputNamespace('output2');
    spec.output('output2.output2a');
    spec.output('output2.output2b');
    const description = spec.getDescription();
    expect(JSON.parse(JSON.stringify(description.inputs.input1))).toEqual({
      help: 'A help string',
      name: 'input1',
      required: true,
      validType: 'String',
    });
    const attrs = { dynamic: false, validType: null, required: true, help: null, populateDefaults: true };
    expect(description).toEqual({
      inputs: {
        _attrs: attrs,
        input1: { help: 'A help string', name: 'input1', required: true, validType: 'String' },
        input2: {
          _attrs: attrs,
          input2a: { name: 'input2a', required: true },
          input2b: { default: 'default', name: 'input2b', required: false },
        },
      },
      outputs: {
        _attrs: attrs,
        output1: { name: 'output1', required: true },
        output2: {
          _attrs: attrs,
          output2a: { name: 'output2a', required: true },
          output2b: { name: 'output2b', required: true },
        },
      },
    });
    const inputs = spec.preProcessInputs({ input1: 'my input', input2: { input2a: 'other input' } });
    expect(inputs).toEqual({ input1: 'my input', input2: { input2a: 'other input', input2b: 'default' } });
    expect(spec.validateInputs(inputs)).toBeUndefined();
  });

  it('creates namespaced inputs from dotted names', () => {
    const port = spec.input('some.name.space.a', { validType: Number });
    expect(port).toBeInstanceOf(InputPort);
    expect(port.name).toBe('a');
    expect(spec.inputs.has('some')).toBe(true);
    expect(spec.inputs.getPort('some')).toBeInstanceOf(PortNamespace);
    expect(spec.inputs.getPort('some.name')).toBeInstanceOf(PortNamespace);
    expect(spec.inputs.getPort('some.name.space')).toBeInstanceOf(PortNamespace);
    expect(spec.inputs.getPort('some.name.space.a')).toBe(port);
    expect(spec.hasInput('some.name.space.a')).toBe(true);
    expect(spec.hasInput('some.name.space.b')).toBe(false);
    expect(spec.output('x.y')).toBeInstanceOf(OutputPort);
    expect(spec.hasOutput('x.y')).toBe(true);
  });

  it('validates a port with a validator and a default', () => {
    const dictValidator = (value: unknown) =>
      (value as Record<string, unknown>).key !== 'value' ? 'Invalid dictionary' : undefined;
    spec.input('dict', { default: { key: 'value' }, validator: dictValidator });

    const processed = spec.inputs.preProcess({});
    expect(processed).toEqual({ dict: { key: 'value' } });
    expect(spec.validateInputs(processed)).toBeUndefined();
    expect(spec.inputs.preProcess({ dict: { key: 'value' } })).toEqual({ dict: { key: 'value' } });
    expect(spec.validateInputs({ dict: { wrong_key: 'value' } })?.message).toBe(
      "Error occurred validating port 'inputs.dict': Invalid dictionary",
    );
    expect(() => spec.input('bad', { default: { key: 'other' }, validator: dictValidator })).toThrow(
      PortDefinitionError,
    );
  });

  it('runs a validator on the whole inputs namespace', () => {
    spec.input('a', { required: false });
    spec.input('b', { required: false });
    spec.inputs.validator = (inputs) => {
      const values = inputs as Record<string, unknown>;
      return 'a' in values !== 'b' in values ? undefined : 'Must have a OR b in inputs';
    };
    expect(spec.inputs.preProcess({ a: 'a' })).toEqual({ a: 'a' });
    expect(spec.validateInputs({ a: 'a' })).toBeUndefined();
    expect(spec.validateInputs({ b: 'b' })).toBeUndefined();
    expect(spec.validateInputs({})?.message).toBe(
      "Error occurred validating port 'inputs': Must have a OR b in inputs",
    );
    expect(spec.validateInputs({ a: 'a', b: 'b' })).toBeDefined();
  });

  it('reports the contract messages', () => {
    spec.input('a', { validType: Number });
    expect(spec.validateInputs(spec.preProcessInputs({}))?.message).toBe(
      "Error occurred validating port 'inputs.a': required value was not provided for 'a'",
    );
    expect(spec.validateInputs({ a: 'a' })?.message).toBe(
      "Error occurred validating port 'inputs.a': value 'a' is not of the right type. Got 'string', expected 'Number'",
    );
    expect(spec.validateInputs({ a: 1, z: 2 })?.message).toBe(
      'Error occurred validating port \'inputs\': Unexpected ports {"z":2}, for a non dynamic namespace',
    );
  });

  it('collects every input and output error on request', () => {
    spec.input('a', { validType: Number });
    spec.input('b', { validType: String });
    spec.output('x', { validType: Number });
    spec.output('y');
    expect(spec.validateAllInputs({ a: 'a', b: 1 }).map((e) => e.port)).toEqual(['inputs.a', 'inputs.b']);
    expect(spec.validateAllOutputs({ x: 'x' }).map((e) => e.port)).toEqual(['outputs.x', 'outputs.y']);
    expect(spec.validateAllInputs({ a: 1, b: 'b' })).toEqual([]);
  });

  it('validates outputs as a whole and one by one', () => {
    spec.output('result', { validType: Number });
    spec.output('extra', { required: false });
    spec.outputNamespace('dyn', { dynamic: true, validType: Number });
    expect(spec.validateOutputs({ result: 1 })).toBeUndefined();
    expect(spec.validateOutputs({})?.message).toBe(
      "Error occurred validating port 'outputs.result': required value was not provided for 'result'",
    );
    expect(spec.validateOutput('result', 'x')?.port).toBe('outputs.result');
    expect(spec.validateOutput('dyn.anything', 1)).toBeUndefined();
    expect(spec.validateOutput('dyn.anything', 'x')?.port).toBe('outputs.dyn.anything');
    expect(spec.validateOutput('unknown', 1)?.detail).toBe(
      'Unexpected ports {"unknown":1}, for a non dynamic namespace',
    );
  });

  it('lets the top-level inputs be dynamic', () => {
    spec.inputs.dynamic = true;
    expect(spec.validateInputs({ anything: 1 })).toBeUndefined();
  });

  it('updates an existing namespace instead of replacing it', () => {
    spec.input('ns.a');
    const namespace = spec.inputNamespace('ns', { dynamic: true, validType: Number, help: 'h' });
    expect(namespace.has('a')).toBe(true);
    expect(namespace.dynamic).toBe(true);
    expect(namespace.help).toBe('h');
    spec.input('leaf');
    expect(() => spec.inputNamespace('leaf')).toThrow(PortDefinitionError);
    expect(() => spec.input('leaf.sub')).toThrow(PortDefinitionError);
  });

  it('creates namespaces with options', () => {
    const validator = (): undefined => undefined;
    const ns = spec.inputNamespace('ns', { dynamic: true, validType: String, required: false, populateDefaults: false, validator });
    expect(ns).toBe(spec.inputs.getPort('ns'));
    expect(ns.validType).toBe(String);
    expect(ns.required).toBe(false);
    expect(ns.populateDefaults).toBe(false);
    expect(ns.validator).toBe(validator);
    expect(spec.validateInputs({ ns: { a: 'x', b: { c: 'y' } } })).toBeUndefined();
    expect(spec.validateInputs({ ns: { b: { c: 1 } } })?.port).toBe('inputs.ns.b.c');
    expect(spec.outputNamespace('out.deep')).toBe(spec.outputs.getPort('out.deep'));
  });

  describe('exit codes', () => {
    it('declares and looks up exit codes', () => {
      const code = spec.exitCode(400, 'ERROR_NAME', 'message');
      expect(code).toBeInstanceOf(ExitCode);
      expect(code).toEqual(new ExitCode(400, 'ERROR_NAME', 'message'));
      expect(spec.exitCodes.ERROR_NAME).toBe(code);
      expect(spec.exitCodes.MISSING).toBeUndefined();
      expect(spec.getExitCode('ERROR_NAME')).toBe(code);
      expect(spec.getExitCode(400)).toBe(code);
      expect(spec.getExitCode(401)).toBeUndefined();
    });

    it('lets a subclass redefine an exit code by name', () => {
      spec.exitCode(400, 'ERROR_NAME', 'message');
      const redefined = spec.exitCode(410, 'ERROR_NAME', 'other');
      expect(spec.exitCodes.ERROR_NAME).toBe(redefined);
      expect(spec.getExitCode(400)).toBeUndefined();
    });

    it('rejects invalid or clashing exit codes', () => {
      spec.exitCode(400, 'ERROR_NAME', 'message');
      expect(() => spec.exitCode(400, 'OTHER', 'x')).toThrow("exit code status 400 is already used by 'ERROR_NAME'");
      expect(() => spec.exitCode(0, 'ZERO', 'x')).toThrow(PortDefinitionError);
      expect(() => spec.exitCode(1.5, 'FRACTION', 'x')).toThrow(PortDefinitionError);
      expect(() => spec.exitCode(401, '', 'x')).toThrow(PortDefinitionError);
      expect(() => spec.exitCode(402, 'NO_MESSAGE', 5 as unknown as string)).toThrow(PortDefinitionError);
    });
  });

  describe('sealing', () => {
    it('forbids declarations after sealing', () => {
      spec.input('a');
      spec.input('ns.b');
      expect(spec.sealed).toBe(false);
      spec.seal();
      expect(spec.sealed).toBe(true);
      expect(() => spec.input('c')).toThrow("Cannot add input port 'c' after the spec has been sealed");
      expect(() => spec.output('c')).toThrow("Cannot add output port 'c' after the spec has been sealed");
      expect(() => spec.inputNamespace('x')).toThrow(PortDefinitionError);
      expect(() => spec.outputNamespace('x')).toThrow(PortDefinitionError);
      expect(() => spec.exitCode(400, 'E', 'm')).toThrow(PortDefinitionError);
      expect(() => spec.exposeInputs({ spec: () => new ProcessSpec() })).toThrow(PortDefinitionError);
      expect(() => spec.exposeOutputs({ spec: () => new ProcessSpec() })).toThrow(PortDefinitionError);
      expect(() => spec.inputs.addPort(new InputPort('d'))).toThrow(PortDefinitionError);
      expect(() => (spec.inputs.get('ns') as PortNamespace).addPort(new InputPort('d'))).toThrow(PortDefinitionError);
      // Validation still works.
      expect(spec.validateInputs({ a: 1, ns: { b: 2 } })).toBeUndefined();
    });
  });

  describe('subclassing', () => {
    class TracedInputPort extends InputPort {
      override clone(name: string = this.name): TracedInputPort {
        return new TracedInputPort(name, this.cloneOptions());
      }
    }
    class OutlineSpec extends ProcessSpec {
      readonly steps: string[] = [];
      outline(...steps: string[]): void {
        this.steps.push(...steps);
      }
      protected override createInputPort(name: string, options: InputPortOptions): InputPort {
        return new TracedInputPort(name, options);
      }
    }

    it('carries extra data and uses the overridden port factories', () => {
      const outlined = new OutlineSpec();
      outlined.outline('a', 'b');
      expect(outlined.steps).toEqual(['a', 'b']);
      expect(outlined.input('x')).toBeInstanceOf(TracedInputPort);
      expect(outlined.inputs).toBeInstanceOf(PortNamespace);
    });
  });
});
