import { describe, expect, it } from 'vitest';
import { ClassRegistry } from './class-registry.js';
import { PersistenceError, UnknownClassError } from './errors.js';

class Alpha {}
class WithId {
  static processId = 'app/WithId';
}
class InheritsId extends WithId {}

describe('ClassRegistry', () => {
  it('names a class by its name by default', () => {
    const registry = new ClassRegistry();
    expect(registry.register(Alpha)).toBe('Alpha');
    expect(registry.load('Alpha')).toBe(Alpha);
    expect(registry.identify(Alpha)).toBe('Alpha');
  });

  it('prefers a static processId the class defines itself', () => {
    const registry = new ClassRegistry();
    expect(registry.register(WithId)).toBe('app/WithId');
    expect(registry.register(InheritsId)).toBe('InheritsId');
  });

  it('uses an explicit identifier, which then names the class', () => {
    const registry = new ClassRegistry();
    registry.identify(Alpha);
    expect(registry.register(Alpha, 'my-app/Alpha')).toBe('my-app/Alpha');
    expect(registry.identify(Alpha)).toBe('my-app/Alpha');
    expect(registry.load('Alpha')).toBe(Alpha);
    expect(registry.load('my-app/Alpha')).toBe(Alpha);
  });

  it('registers a class automatically when it is first identified', () => {
    const registry = new ClassRegistry();
    expect(registry.isRegistered(Alpha)).toBe(false);
    expect(registry.identify(Alpha)).toBe('Alpha');
    expect(registry.isRegistered(Alpha)).toBe(true);
    expect(registry.has('Alpha')).toBe(true);
  });

  it('accepts registering the same class twice', () => {
    const registry = new ClassRegistry();
    registry.register(Alpha);
    expect(() => registry.register(Alpha)).not.toThrow();
    expect(registry.identifiers()).toEqual(['Alpha']);
  });

  it('refuses another class under a taken identifier, naming both', () => {
    const registry = new ClassRegistry();
    const First = class Same {};
    const Second = class Same {};
    registry.register(First);
    expect(() => registry.register(Second)).toThrow(PersistenceError);
    expect(() => registry.register(Second)).toThrow(/Same.*'Same'.*Same/);
    expect(() => registry.register(Alpha, 'Same')).toThrow(/class Alpha under identifier 'Same'.*another class, Same/);
    expect(() => registry.identify(Second)).toThrow(PersistenceError);
    expect(registry.load('Same')).toBe(First);
  });

  it('refuses to name an anonymous class', () => {
    const registry = new ClassRegistry();
    const anonymous = [class {}][0] as new () => object;
    expect(() => registry.identify(anonymous)).toThrow(/anonymous class/);
    expect(registry.register(anonymous, 'given')).toBe('given');
  });

  it('rejects an unknown identifier with UnknownClassError', () => {
    const registry = new ClassRegistry();
    expect(() => registry.load('nope')).toThrow(UnknownClassError);
    expect(() => registry.load('nope')).toThrow(PersistenceError);
    expect(() => registry.load('nope')).toThrow(/'nope'/);
  });

  it('unregisters an identifier', () => {
    const registry = new ClassRegistry();
    registry.register(Alpha);
    registry.register(Alpha, 'alias');
    expect(registry.unregister('alias')).toBe(true);
    expect(registry.identify(Alpha)).toBe('Alpha');
    expect(registry.unregister('Alpha')).toBe(true);
    expect(registry.isRegistered(Alpha)).toBe(false);
    expect(registry.unregister('Alpha')).toBe(false);
  });

  it('has a shared default registry', () => {
    expect(ClassRegistry.default).toBeInstanceOf(ClassRegistry);
    expect(ClassRegistry.default).toBe(ClassRegistry.default);
  });
});
