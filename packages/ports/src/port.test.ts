import { describe, expect, it } from 'vitest';
import { InputPort } from './input-port.js';
import { OutputPort } from './output-port.js';
import { Port } from './port.js';
import { PortDefinitionError } from './port-definition-error.js';
import { PortValidationError } from './port-validation-error.js';
import { UNSPECIFIED } from './unspecified.js';

describe('Port', () => {
  it('requires a value when required', () => {
    const port = new Port('required_value', { required: true });
    const error = port.validate(UNSPECIFIED);
    expect(error).toBeInstanceOf(PortValidationError);
    expect(error?.message).toBe(
      "Error occurred validating port 'required_value': required value was not provided for 'required_value'",
    );
    expect(port.validate(undefined)).toBeDefined();
    expect(port.validate(5)).toBeUndefined();
  });

  it('is required by default', () => {
    expect(new Port('p').required).toBe(true);
  });

  it('checks the valid type with plumpy wording', () => {
    const port = new Port('a', { validType: Number });
    expect(port.validate(5)).toBeUndefined();
    const error = port.validate('a');
    expect(error?.detail).toBe("value 'a' is not of the right type. Got 'string', expected 'Number'");
    expect(error?.port).toBe('a');
    expect(error?.name).toBe('PortValidationError');
  });

  it('prefixes the breadcrumbs', () => {
    const error = new Port('port', { validType: String }).validate(1, ['inputs', 'ns', 'sub']);
    expect(error?.port).toBe('inputs.ns.sub.port');
    expect(error?.path).toEqual(['inputs', 'ns', 'sub', 'port']);
    expect(error?.message).toBe(
      "Error occurred validating port 'inputs.ns.sub.port': value 'port' is not of the right type. Got 'number', expected 'String'",
    );
  });

  it('names unions and classes in the message', () => {
    class Box {}
    expect(new Port('u', { validType: [String, Number] }).validate(true)?.detail).toBe(
      "value 'u' is not of the right type. Got 'boolean', expected 'String | Number'",
    );
    expect(new Port('b', { validType: Box }).validate({})?.detail).toBe(
      "value 'b' is not of the right type. Got 'Object', expected 'Box'",
    );
  });

  it('accepts null as a provided value that must match the type', () => {
    expect(new Port('n', { validType: Number }).validate(null)?.detail).toBe(
      "value 'n' is not of the right type. Got 'null', expected 'Number'",
    );
    expect(new Port('n').validate(null)).toBeUndefined();
  });

  it('runs the validator with the value and the port', () => {
    const seen: Port[] = [];
    const port = new Port('valid_with_validator', {
      validator: (value, p) => {
        seen.push(p);
        return typeof value === 'number' ? undefined : 'Not int';
      },
    });
    expect(port.validate(5)).toBeUndefined();
    expect(port.validate('s')?.message).toBe("Error occurred validating port 'valid_with_validator': Not int");
    expect(seen).toEqual([port, port]);
  });

  it('does not call the validator when no value is given for an optional port', () => {
    const port = new Port('valid_with_validator', {
      required: false,
      validator: () => {
        throw new Error('must not be called');
      },
    });
    expect(port.validate(UNSPECIFIED)).toBeUndefined();
  });

  it('does not call the validator when the type is wrong', () => {
    let calls = 0;
    const port = new Port('p', {
      validType: Number,
      validator: () => {
        calls++;
        return 'validator';
      },
    });
    expect(port.validate('x')?.detail).toMatch(/not of the right type/);
    expect(calls).toBe(0);
  });

  it('accepts a validator typed for the narrowed value', () => {
    const positive = (value: number): string | undefined => (value < 0 ? 'Only positive integers allowed' : undefined);
    const port = new Port('p', { validType: Number, validator: positive });
    expect(port.validate(-5)?.detail).toBe('Only positive integers allowed');
  });

  it('can change its valid type', () => {
    const port = new Port('p', { validType: Number });
    port.validType = String;
    expect(port.validType).toBe(String);
    expect(port.validate('x')).toBeUndefined();
    port.validType = null;
    expect(port.validType).toBeUndefined();
    expect(port.validate(Symbol('any'))).toBeUndefined();
  });

  it('describes itself as JSON-able data', () => {
    const port = new Port('p', { validType: Number, help: '  some help \n' });
    expect(port.getDescription()).toEqual({ name: 'p', required: true, validType: 'Number', help: 'some help' });
    expect(JSON.parse(String(port))).toEqual(port.getDescription());
    expect(new Port('q', { required: false }).getDescription()).toEqual({ name: 'q', required: false });
  });
});

describe('InputPort', () => {
  it('has a default and is then not required', () => {
    const port = new InputPort('test', { default: 5 });
    expect(port.default).toBe(5);
    expect(port.hasDefault()).toBe(true);
    expect(port.required).toBe(false);
    expect(new InputPort('none').hasDefault()).toBe(false);
    expect(new InputPort('none').default).toBe(UNSPECIFIED);
  });

  it('validates a default when it is declared', () => {
    expect(() => new InputPort('test', { default: 4, validType: String })).toThrow(PortDefinitionError);
    expect(() => new InputPort('test', { default: 4, validType: String })).toThrow(
      "Invalid default value for port 'test': value 'test' is not of the right type. Got 'number', expected 'String'",
    );
    const port = new InputPort('test', { default: 'a', validType: String });
    expect(() => {
      port.default = 5;
    }).toThrow(PortDefinitionError);
    expect(port.default).toBe('a');
  });

  it('runs the validator on a declared default', () => {
    const validator = (value: unknown) => (value === 'bad' ? 'bad default' : undefined);
    expect(() => new InputPort('v', { default: 'bad', validator })).toThrow(/bad default/);
  });

  it('accepts falsy defaults', () => {
    for (const falsy of [0, false, '', null, 0n]) {
      const port = new InputPort('f', { default: falsy });
      expect(port.hasDefault()).toBe(true);
      expect(port.resolveDefault()).toBe(falsy);
      expect(port.getDescription().default).toEqual(typeof falsy === 'bigint' ? '0n' : falsy);
    }
  });

  it('runs the validator', () => {
    const port = new InputPort('test', {
      validator: (value, p) => {
        expect(p).toBeInstanceOf(Port);
        return (value as number) < 0 ? 'Only positive integers allowed' : undefined;
      },
    });
    expect(port.validate(5)).toBeUndefined();
    expect(port.validate(-5)).toBeDefined();
  });

  it('does not evaluate a lambda default when declared', () => {
    let calls = 0;
    // The default would return the wrong type, but it is not evaluated yet.
    const lazy = new InputPort('lambda_default', {
      default: () => {
        calls++;
        return 'string';
      },
      validType: Number,
    });
    expect(calls).toBe(0);
    expect(lazy.resolveDefault()).toBe('string');
    expect(calls).toBe(1);

    const port = new InputPort('test', { default: () => 5 });
    expect(port.validate(UNSPECIFIED)).toBeUndefined();
    expect(port.validate(3)).toBeUndefined();
    expect(port.resolveDefault()).toBe(5);
  });

  it('accepts a function as a value when the type allows it', () => {
    const port = new InputPort('test', { validType: [Function, Number], default: () => 5 });
    const someLambda = (): string => 'string';
    expect(port.validate(someLambda)).toBeUndefined();
  });

  it('describes its default', () => {
    expect(new InputPort('input2b', { default: 'default' }).getDescription()).toEqual({
      name: 'input2b',
      required: false,
      default: 'default',
    });
    function makeList(): number[] {
      return [];
    }
    expect(new InputPort('lazy', { default: makeList }).getDescription().default).toBe('[Function: makeList]');
    expect(new InputPort('obj', { default: { key: 'value' } }).getDescription().default).toEqual({ key: 'value' });
  });

  it('clones into an independent port', () => {
    const validator = (): undefined => undefined;
    const port = new InputPort('a', { validType: String, default: 'a', help: 'h', validator });
    const copy = port.clone();
    expect(copy).toBeInstanceOf(InputPort);
    expect(copy).not.toBe(port);
    expect(copy.getDescription()).toEqual(port.getDescription());
    expect(copy.validator).toBe(validator);
    port.default = 'c';
    expect(copy.default).toBe('a');
    expect(port.clone('renamed').name).toBe('renamed');
  });
});

describe('OutputPort', () => {
  it('keeps the attributes it was given', () => {
    const validator = (_value: unknown, port: Port) => {
      expect(port).toBeInstanceOf(Port);
      return undefined;
    };
    const port = new OutputPort('output', { validType: Number, help: 'Help string', required: false, validator });
    expect(port.name).toBe('output');
    expect(port.validType).toBe(Number);
    expect(port.help).toBe('Help string');
    expect(port.required).toBe(false);
    expect(port.validator).toBe(validator);
    expect(port.clone()).toBeInstanceOf(OutputPort);
    expect(port.clone().getDescription()).toEqual(port.getDescription());
  });
});
