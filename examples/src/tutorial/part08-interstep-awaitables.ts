/** Tutorial part 8: awaitables between steps put a work chain in WAITING, so chains interleave. */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import * as plumpy from 'plumpy-ts';

/**
 * plumpy wraps this coroutine in `asyncio.ensure_future`, which starts it on the
 * loop's next turn; `nextTurn()` does the same here, so both chains' sleeps start
 * together after their blocking step2 and end together.
 */
async function awaitableFunc(msg: string): Promise<boolean> {
  await nextTurn();
  await sleep(10);
  console.log(msg);
  return true;
}

/** Blocks the thread, as plumpy's `time.sleep` does in this example. */
function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

export class InternalProcess extends plumpy.Process<{ name: string }> {
  static override define(spec: plumpy.ProcessSpec): void {
    super.define(spec);
    spec.input('name', { validType: String, default: 'process' });
    spec.output('value');
  }

  override run(): void {
    console.log(this.inputs.name);
    this.out('value', 'value');
  }
}

interface InterstepInputs {
  name: string;
  process: boolean;
  awaitable: boolean;
}

export class InterstepWorkChain extends plumpy.WorkChain<InterstepInputs> {
  static override define(spec: plumpy.WorkChainSpec): void {
    super.define(spec);
    spec.input('name', { validType: String, default: 'workchain' });
    spec.input('process', { validType: Boolean, default: false });
    spec.input('awaitable', { validType: Boolean, default: false });
    spec.outline('step1', 'step2', 'step3');
  }

  step1(): void {
    console.log(this.inputs.name, 'step1');
  }

  step2(): void {
    console.log(this.inputs.name, 'step2');
    busyWait(10);
    if (this.inputs.awaitable) {
      this.toContext({ awaitable: awaitableFunc(`${this.inputs.name} step2 awaitable`) });
    }
    if (this.inputs.process) {
      this.toContext({
        process: this.launch(InternalProcess, { inputs: { name: `${this.inputs.name} step2 process` } }),
      });
    }
  }

  step3(): void {
    console.log(this.inputs.name, 'step3');
    console.log(`  ctx=${JSON.stringify(this.ctx)}`);
  }
}

async function runPair(options: Partial<InterstepInputs>): Promise<void> {
  const wkchain1 = new InterstepWorkChain({ inputs: { name: 'wkchain1', ...options } });
  const wkchain2 = new InterstepWorkChain({ inputs: { name: 'wkchain2', ...options } });
  await Promise.all([wkchain1.stepUntilTerminated(), wkchain2.stepUntilTerminated()]);
}

export async function main(): Promise<void> {
  await runPair({});
  await runPair({ process: true });
  await runPair({ awaitable: true });
}
