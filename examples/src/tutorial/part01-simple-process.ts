/** Tutorial part 1: a simple process. */
import * as plumpy from 'plumpy-ts';

export class SimpleProcess extends plumpy.Process {
  override run(): void {
    console.log(this.state);
  }
}

export async function main(): Promise<void> {
  const process = new SimpleProcess();
  console.log(process.state);
  await process.execute();
  console.log(process.state);
  console.log('Success', process.isSuccessful);
  console.log('Result', process.result());
}
