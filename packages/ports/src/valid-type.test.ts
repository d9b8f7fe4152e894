import { describe, expect, it } from 'vitest';
import { compileTypeCheck, describeValidType, describeValueType, isPlainObject } from './valid-type.js';

class Animal {}
class Dog extends Animal {}
class StrSubtype extends String {}

describe('compileTypeCheck', () => {
  it('accepts anything without a type', () => {
    expect(compileTypeCheck(undefined)).toBeUndefined();
    expect(compileTypeCheck(null)).toBeUndefined();
  });

  it('matches primitives by typeof and boxed values by instanceof', () => {
    const isString = compileTypeCheck(String)!;
    expect(isString('a')).toBe(true);
    expect(isString(new StrSubtype('b'))).toBe(true);
    expect(isString(5)).toBe(false);

    const isNumber = compileTypeCheck(Number)!;
    expect(isNumber(5)).toBe(true);
    expect(isNumber(0)).toBe(true);
    expect(isNumber(Number.NaN)).toBe(true);
    expect(isNumber('5')).toBe(false);
    expect(isNumber(5n)).toBe(false);

    expect(compileTypeCheck(Boolean)!(false)).toBe(true);
    expect(compileTypeCheck(Boolean)!(0)).toBe(false);
    expect(compileTypeCheck(BigInt)!(5n)).toBe(true);
    expect(compileTypeCheck(BigInt)!(5)).toBe(false);
    expect(compileTypeCheck(Symbol)!(Symbol('s'))).toBe(true);
    expect(compileTypeCheck(Symbol)!('s')).toBe(false);
  });

  it('matches Object to plain objects only and Array to arrays', () => {
    const isObject = compileTypeCheck(Object)!;
    expect(isObject({ a: 1 })).toBe(true);
    expect(isObject(Object.create(null))).toBe(true);
    expect(isObject([])).toBe(false);
    expect(isObject(new Dog())).toBe(false);
    expect(isObject(null)).toBe(false);

    const isArray = compileTypeCheck(Array)!;
    expect(isArray([1])).toBe(true);
    expect(isArray({ length: 0 })).toBe(false);
  });

  it('matches other classes by instanceof, including subclasses', () => {
    const isAnimal = compileTypeCheck(Animal)!;
    expect(isAnimal(new Dog())).toBe(true);
    expect(isAnimal({})).toBe(false);
    expect(compileTypeCheck(Date)!(new Date())).toBe(true);
    expect(compileTypeCheck(Function)!(() => 1)).toBe(true);
  });

  it('matches a union when any member matches', () => {
    const check = compileTypeCheck([String, Number])!;
    expect(check('a')).toBe(true);
    expect(check(1)).toBe(true);
    expect(check(true)).toBe(false);
    expect(compileTypeCheck([Boolean])!(true)).toBe(true);
  });

  it('rejects a validType that is not a constructor', () => {
    expect(() => compileTypeCheck('string' as unknown as typeof String)).toThrow(TypeError);
  });
});

describe('type names', () => {
  it('names valid types like the classes', () => {
    expect(describeValidType(Number)).toBe('Number');
    expect(describeValidType([String, Number])).toBe('String | Number');
    expect(describeValidType(Dog)).toBe('Dog');
    expect(describeValidType(undefined)).toBeUndefined();
  });

  it('names value types by typeof for primitives and by constructor for objects', () => {
    expect(describeValueType('a')).toBe('string');
    expect(describeValueType(1)).toBe('number');
    expect(describeValueType(1n)).toBe('bigint');
    expect(describeValueType(undefined)).toBe('undefined');
    expect(describeValueType(null)).toBe('null');
    expect(describeValueType({})).toBe('Object');
    expect(describeValueType(Object.create(null))).toBe('Object');
    expect(describeValueType([])).toBe('Array');
    expect(describeValueType(new Dog())).toBe('Dog');
    expect(describeValueType(() => 1)).toBe('function');
  });

  it('recognises plain objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(new Map())).toBe(false);
    expect(isPlainObject('x')).toBe(false);
  });
});
