/** Tutorial part 2: inputs and outputs declared in a spec. */
import * as plumpy from 'plumpy-ts';

interface SpecInputs {
  input1: string;
  input2: { input2a: string; input2b?: string };
}

export class SpecProcess extends plumpy.Process<SpecInputs> {
  static override define(spec: plumpy.ProcessSpec): void {
    super.define(spec);
    spec.input('input1', { validType: String, help: 'A help string' });
    spec.output('output1');
    spec.inputNamespace('input2');
    spec.input('input2.input2a');
    spec.input('input2.input2b', { default: 'default' });
    spec.outputNamespace('output2');
    spec.output('output2.output2a');
    spec.output('output2.output2b');
  }

  override run(): void {
    this.out('output1', this.inputs.input1);
    this.out('output2.output2a', this.inputs.input2.input2a);
    this.out('output2.output2b', this.inputs.input2.input2b);
  }
}

export async function main(): Promise<void> {
  console.log(JSON.stringify(SpecProcess.spec().getDescription().inputs.input1));
  const p = new SpecProcess({ inputs: { input1: 'my input', input2: { input2a: 'other input' } } });
  await p.execute();
  console.log(p.outputs);
}
