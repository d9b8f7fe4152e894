// AiiDA's exposed ports: a work chain exposes a child's inputs and outputs,
// launches the child with exposedInputs and re-emits its outputs with
// exposedOutputs + outMany.
import { describe, expect, it } from 'vitest';
import { Process, type ProcessSpec } from '@plumpy-ts/process';
import { WorkChain, type WorkChainSpec } from './index.js';

class Adder extends Process<{ a: number; b: number }> {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.input('a', { validType: Number });
    spec.input('b', { validType: Number, default: 10 });
    spec.output('sum', { validType: Number });
    spec.output('note', { validType: String, required: false });
  }

  override run(): void {
    this.out('sum', this.inputs.a + this.inputs.b);
    this.out('note', 'added');
  }
}

class Wrapper extends WorkChain<{ scale: number; adder: { a: number; b?: number } }> {
  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('scale', { validType: Number });
    spec.exposeInputs(Adder, { namespace: 'adder' });
    spec.exposeOutputs(Adder, { namespace: 'added', exclude: ['note'] });
    spec.output('scaled', { validType: Number });
    spec.outline('runAdder', 'results');
  }

  runAdder(): void {
    this.toContext({ adder: this.launch(Adder, { inputs: this.exposedInputs(Adder, { namespace: 'adder' }) }) });
  }

  results(): void {
    const outputs = this.ctx.adder as { sum: number; note: string };
    this.outMany(this.exposedOutputs(outputs, Adder, { namespace: 'added' }));
    this.out('scaled', outputs.sum * this.inputs.scale);
  }
}

describe('exposed ports', () => {
  it("launch a child with the exposed inputs and re-emit its exposed outputs", async () => {
    const outputs = await new Wrapper({ inputs: { scale: 2, adder: { a: 1 } } }).execute();
    expect(outputs).toEqual({ added: { sum: 11 }, scaled: 22 });
  });

  it('validate the exposed inputs of the work chain', () => {
    expect(() => new Wrapper({ inputs: { scale: 2, adder: { a: 'x' as unknown as number } } })).toThrow(
      "Error occurred validating port 'inputs.adder.a'",
    );
  });

  it('give only the exposed inputs', () => {
    const wrapper = new Wrapper({ inputs: { scale: 3, adder: { a: 1, b: 2 } } });
    expect(wrapper.exposedInputs(Adder, { namespace: 'adder' })).toEqual({ a: 1, b: 2 });
  });
});
