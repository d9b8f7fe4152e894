import { describe, expect, it } from 'vitest';
import { PortDefinitionError } from './port-definition-error.js';
import { PortNotFoundError } from './port-not-found-error.js';
import { PortValidationError } from './port-validation-error.js';

describe('error classes', () => {
  it('PortValidationError carries the detail and the breadcrumb path', () => {
    const error = new PortValidationError("required value was not provided for 'a'", ['inputs', 'a']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PortValidationError');
    expect(error.message).toBe("Error occurred validating port 'inputs.a': required value was not provided for 'a'");
    expect(error.detail).toBe("required value was not provided for 'a'");
    expect(error.port).toBe('inputs.a');
    expect(error.path).toEqual(['inputs', 'a']);
  });

  it('the other errors are named', () => {
    expect(new PortDefinitionError('x').name).toBe('PortDefinitionError');
    const notFound = new PortNotFoundError('a.b', 'missing');
    expect(notFound.name).toBe('PortNotFoundError');
    expect(notFound.portName).toBe('a.b');
    expect(notFound).toBeInstanceOf(Error);
  });
});
