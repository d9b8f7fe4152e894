/** Tutorial part 3: commands, Continue and Kill. */
import * as plumpy from 'plumpy-ts';

export class ContinueProcess extends plumpy.Process {
  override run(): plumpy.Continue {
    console.log('running');
    return new plumpy.Continue(this.continueFn);
  }

  continueFn(): plumpy.Kill {
    console.log('continuing');
    return new plumpy.Kill('I was killed');
  }
}

export async function main(): Promise<void> {
  const c = new ContinueProcess();
  try {
    await c.execute();
  } catch (e) {
    if (!(e instanceof plumpy.KilledError)) throw e;
  }
  console.log(c.state);
  console.log(c.status);
  console.log(c.isSuccessful);
}
