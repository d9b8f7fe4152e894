/** Tutorial part 4: listeners, and a process that waits to be resumed. */
import * as plumpy from 'plumpy-ts';

export class WaitProcess extends plumpy.Process {
  override run(): plumpy.Wait {
    return new plumpy.Wait(this.resumeFn);
  }

  resumeFn(): plumpy.Stop {
    return new plumpy.Stop(undefined, true);
  }
}

export async function main(): Promise<void> {
  const w = new WaitProcess();
  console.log(w.state);
  w.addProcessListener({
    onProcessRunning: (proc) => console.log(proc.state),
    onProcessWaiting: (proc) => {
      console.log(proc.state);
      proc.resume();
    },
  });
  await w.execute();
  console.log(w.state);
}
