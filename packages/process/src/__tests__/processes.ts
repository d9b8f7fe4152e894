// Test processes, ported from plumpy's tests/utils.py.
import { Continue, Kill, Process, Wait, type ProcessListener, type ProcessSpec } from '../index.js';
import { until } from '../testkit/index.js';

export { until };

/** A process with no inputs or outputs that does nothing. */
export class DummyProcess extends Process {
  static readonly EXPECTED_STATE_SEQUENCE = ['created', 'running', 'finished'];
}

/** Emits output `default` = 5; inputs and outputs are dynamic. */
export class DummyProcessWithOutput extends Process {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.inputs.dynamic = true;
    spec.outputs.dynamic = true;
    spec.output('default', { validType: Number });
  }

  override run(): void {
    this.out('default', 5);
  }
}

/** Waits until resumed, then runs `lastStep`. */
export class WaitForSignalProcess extends Process {
  override run(): Wait {
    return new Wait('lastStep');
  }

  lastStep(): void {}
}

/** Returns a Kill command with the message 'killed'. */
export class KillProcess extends Process {
  override run(): Kill {
    return new Kill('killed');
  }
}

/** Declares a required output and does not emit it. */
export class MissingOutputProcess extends Process {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.output('default', { required: true });
  }
}

/** Emits `test` = 5 and throws. */
export class ExceptionProcess extends Process {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.outputs.dynamic = true;
  }

  override run(): void {
    this.out('test', 5);
    throw new RangeError('Great scott!');
  }
}

/** Three steps with an output in the first. */
export class ThreeSteps extends Process {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.outputs.dynamic = true;
  }

  override run(): Continue {
    this.out('test', 5);
    return new Continue('middleStep');
  }

  middleStep(): Continue {
    return new Continue('lastStep');
  }

  lastStep(): void {}
}

/** Records which listener events were called (plumpy's ProcessListenerTester). */
export class ListenerTester implements ProcessListener {
  readonly called = new Set<string>();

  constructor(process: Process) {
    process.addProcessListener(this);
  }

  onProcessCreated(): void {
    this.called.add('created');
  }
  onProcessRunning(): void {
    this.called.add('running');
  }
  onProcessWaiting(): void {
    this.called.add('waiting');
  }
  onProcessPaused(): void {
    this.called.add('paused');
  }
  onProcessPlayed(): void {
    this.called.add('played');
  }
  onOutputEmitted(): void {
    this.called.add('output_emitted');
  }
  onProcessFinished(): void {
    this.called.add('finished');
  }
  onProcessExcepted(): void {
    this.called.add('excepted');
  }
  onProcessKilled(): void {
    this.called.add('killed');
  }
}

/** Resolves once the process is WAITING (or has terminated). */
export function untilWaiting(process: Process): Promise<void> {
  return until(process, () => process.state === 'waiting');
}

/** Emits output `default` = 5 into a dynamic output namespace (no port declared for it). */
export class DummyProcessWithDynamicOutput extends Process {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.inputs.dynamic = true;
    spec.outputs.dynamic = true;
  }

  override run(): void {
    this.out('default', 5);
  }
}

/** Continues to `lastStep` (plumpy's ProcessWithCheckpoint). */
export class ProcessWithCheckpoint extends Process {
  override run(): Continue {
    return new Continue('lastStep');
  }

  lastStep(): void {}
}

/** Emits `test` = 5, then continues to a last step that returns nothing. */
export class TwoCheckpointNoFinish extends Process {
  static override define(spec: ProcessSpec): void {
    super.define(spec);
    spec.outputs.dynamic = true;
  }

  override run(): Continue {
    this.out('test', 5);
    return new Continue('middleStep');
  }

  middleStep(): void {}
}

/** ThreeSteps whose last step throws. */
export class ThreeStepsThenException extends ThreeSteps {
  override lastStep(): void {
    throw new RangeError('Great scott!');
  }
}
