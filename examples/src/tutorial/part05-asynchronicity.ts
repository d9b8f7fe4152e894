/** Tutorial part 5: Continue steps keep the event loop; two processes and an async function. */
import { setTimeout as sleep } from 'node:timers/promises';
import * as plumpy from 'plumpy-ts';

async function asyncFn(): Promise<void> {
  console.log('async_fn start');
  await sleep(10);
  console.log('async_fn end');
}

export class NamedProcess extends plumpy.Process<{ name: string }> {
  static override define(spec: plumpy.ProcessSpec): void {
    super.define(spec);
    spec.input('name');
  }

  override run(): plumpy.Continue {
    console.log(this.inputs.name, 'run');
    return new plumpy.Continue(this.continueFn);
  }

  continueFn(): void {
    console.log(this.inputs.name, 'continued');
  }
}

export async function main(): Promise<void> {
  const p1 = new NamedProcess({ inputs: { name: 'process1' } });
  const p2 = new NamedProcess({ inputs: { name: 'process2' } });
  await Promise.all([asyncFn(), p1.stepUntilTerminated(), p2.stepUntilTerminated()]);
}
