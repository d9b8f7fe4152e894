/** Tutorial part 6: pausing inside a step takes effect after the step; play resumes. */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import * as plumpy from 'plumpy-ts';

export class SimpleProcess extends plumpy.Process {
  override run(): void {
    console.log(this.getName());
  }
}

export class PauseProcess extends plumpy.Process {
  override run(): plumpy.Continue {
    console.log(`${this.getName()}: pausing`);
    void this.pause();
    console.log(`${this.getName()}: continue step`);
    return new plumpy.Continue(this.nextStep);
  }

  nextStep(): void {
    console.log(`${this.getName()}: next step`);
  }
}

async function play(proc: plumpy.Process): Promise<void> {
  for (;;) {
    if (proc.paused) {
      console.log(`${proc.getName()}: playing (state=${proc.state})`);
      proc.play();
      return;
    }
    await yieldToLoop();
  }
}

export async function main(): Promise<void> {
  const pauseProc = new PauseProcess();
  const simpleProc = new SimpleProcess();
  await Promise.all([pauseProc.stepUntilTerminated(), simpleProc.stepUntilTerminated(), play(pauseProc)]);
}
