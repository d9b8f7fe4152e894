import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DummyProcess, DummyProcessWithOutput, WaitForSignalProcess, until, untilWaiting } from './__tests__/processes.js';
import { Continue, KilledError, Process, ProcessState, Wait } from './index.js';

describe('pause and play', () => {
  it('pauses a WAITING process at once and plays it (plumpy test_wait_pause_play_resume)', async () => {
    const proc = new WaitForSignalProcess();
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    expect(proc.state).toBe(ProcessState.WAITING);

    expect(await proc.pause()).toBe(true);
    expect(proc.paused).toBe(true);
    expect(proc.play()).toBe(true);
    expect(proc.paused).toBe(false);

    proc.resume();
    await driving;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('remembers a resume while paused and continues on play', async () => {
    const proc = new WaitForSignalProcess();
    const driving = proc.stepUntilTerminated();
    expect(await proc.pause()).toBe(true);
    proc.resume();
    await sleep(1);
    expect(proc.state).toBe(ProcessState.WAITING);
    proc.play();
    await driving;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('sets the status to the pause message and restores it on play (plumpy test_pause_play_status_messaging)', async () => {
    const PLAY_STATUS = 'process was played by Hans Klok';
    const PAUSE_STATUS = 'process was paused by Evel Knievel';
    const proc = new WaitForSignalProcess();
    proc.setStatus(PLAY_STATUS);
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);

    expect(await proc.pause(PAUSE_STATUS)).toBe(true);
    expect(proc.paused).toBe(true);
    expect(proc.status).toBe(PAUSE_STATUS);

    proc.play();
    expect(proc.status).toBe(PLAY_STATUS);

    proc.resume();
    await driving;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('keeps the status when paused without a message', async () => {
    const proc = new DummyProcess();
    proc.setStatus('busy');
    expect(await proc.pause()).toBe(true);
    expect(proc.status).toBe('busy');
    proc.play();
    expect(proc.status).toBe('busy');
  });

  it('pauses a process that is not being stepped at once; execute waits for play', async () => {
    const proc = new DummyProcess();
    expect(await proc.pause()).toBe(true);
    expect(await proc.pause()).toBe(true);
    const done = proc.execute();
    await sleep(1);
    expect(proc.state).toBe(ProcessState.CREATED);
    proc.play();
    await done;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('applies a pause requested inside a step after the step (plumpy test_pause_in_process)', async () => {
    let pausing: Promise<boolean> | undefined;
    let pausedInStep: boolean | undefined;
    class TestPausePlay extends Process {
      override run(): void {
        pausing = this.pause();
        pausedInStep = this.paused;
      }
    }
    const proc = new TestPausePlay();
    await proc.stepUntilTerminated();
    expect(pausedInStep).toBe(false);
    expect(proc.paused).toBe(true);
    expect(await pausing).toBe(true);
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('returns the same pending promise for repeated pauses inside a step', async () => {
    const promises: Promise<boolean>[] = [];
    class Twice extends Process {
      override run(): Continue {
        promises.push(this.pause('first'), this.pause('second'));
        return new Continue(this.next);
      }
      next(): void {}
    }
    const proc = new Twice();
    const driving = proc.stepUntilTerminated();
    expect(promises[0]).toBe(promises[1]);
    expect(await promises[0]).toBe(true);
    expect(proc.status).toBe('first');
    expect(proc.state).toBe(ProcessState.RUNNING);
    proc.play();
    await driving;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('cancels a pending pause when played inside the step (plumpy test_pause_play_in_process)', async () => {
    let pausing: Promise<boolean> | undefined;
    let played: boolean | undefined;
    class TestPausePlay extends Process {
      override run(): void {
        pausing = this.pause();
        played = this.play();
      }
    }
    const proc = new TestPausePlay();
    await proc.execute();
    expect(played).toBe(true);
    expect(await pausing).toBe(false);
    expect(proc.paused).toBe(false);
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('resolves false when pausing a terminated process', async () => {
    const proc = new DummyProcess();
    await proc.execute();
    expect(await proc.pause()).toBe(false);
  });

  it('pauses during an async step once the step is done', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class Slow extends Process {
      override async run(): Promise<Continue> {
        await gate;
        return new Continue(this.next);
      }
      next(): void {}
    }
    const proc = new Slow();
    const driving = proc.stepUntilTerminated();
    const pausing = proc.pause('hold on');
    await sleep(1);
    expect(proc.paused).toBe(false);
    release();
    expect(await pausing).toBe(true);
    expect(proc.state).toBe(ProcessState.RUNNING);
    expect(proc.status).toBe('hold on');
    proc.play();
    await driving;
    expect(proc.state).toBe(ProcessState.FINISHED);
  });
});

describe('kill', () => {
  it('kills a created process at once (plumpy test_kill)', async () => {
    const proc = new DummyProcess();
    expect(await proc.kill('Farewell!')).toBe(true);
    expect(proc.isKilled).toBe(true);
    expect(proc.killedMsg()).toEqual({ message: 'Farewell!', force: false });
    expect(proc.state).toBe(ProcessState.KILLED);
    expect(proc.status).toBe('Farewell!');
    expect(() => proc.result()).toThrow(KilledError);
    expect(() => proc.result()).toThrow('Farewell!');
    expect(await proc.kill()).toBe(true);
  });

  it('refuses to kill a process that terminated otherwise', async () => {
    const proc = new DummyProcess();
    await proc.execute();
    expect(await proc.kill()).toBe(false);
    expect(proc.state).toBe(ProcessState.FINISHED);
  });

  it('uses a default KilledError message without a kill message', () => {
    expect(new KilledError().message).toBe('The process was killed');
    expect(new KilledError('because').message).toBe('because');
  });

  it('lets the rest of run finish, then KILLED (plumpy test_kill_in_run)', async () => {
    let afterKill = false;
    let killing: Promise<boolean> | undefined;
    class KillInRun extends Process {
      override run(): void {
        killing = this.kill('killed');
        afterKill = true;
      }
    }
    const proc = new KillInRun();
    await expect(proc.execute()).rejects.toThrow(KilledError);
    expect(afterKill).toBe(true);
    expect(proc.state).toBe(ProcessState.KILLED);
    expect(await killing).toBe(true);
    expect(proc.killedMsg()).toEqual({ message: 'killed', force: false });
  });

  it('kills at once with force, even mid-step; the rest of the step does not matter', async () => {
    let stateAfterKill: string | undefined;
    class ForceKillInRun extends Process {
      override run(): Continue {
        void this.kill('forced', { force: true });
        stateAfterKill = this.state;
        return new Continue(this.never);
      }
      never(): void {
        throw new Error('must not run');
      }
    }
    const proc = new ForceKillInRun();
    await expect(proc.execute()).rejects.toThrow('forced');
    expect(stateAfterKill).toBe(ProcessState.KILLED);
    expect(proc.killedMsg()).toEqual({ message: 'forced', force: true });
  });

  it('force-kills during an async step without waiting for it', async () => {
    class Hangs extends Process {
      override async run(): Promise<void> {
        await new Promise<void>(() => {});
      }
    }
    const proc = new Hangs();
    const done = proc.execute();
    await sleep(1);
    expect(await proc.kill('stop now', { force: true })).toBe(true);
    await expect(done).rejects.toThrow('stop now');
  });

  it('kills when paused inside run (plumpy test_kill_when_paused_in_run)', async () => {
    let pausing: Promise<boolean> | undefined;
    class PauseProcess extends Process {
      override run(): void {
        pausing = this.pause();
        void this.kill();
      }
    }
    const proc = new PauseProcess();
    await expect(proc.execute()).rejects.toThrow(KilledError);
    expect(proc.state).toBe(ProcessState.KILLED);
    expect(await pausing).toBe(false);
  });

  it('does not let a pause overtake a pending kill', async () => {
    let pausing: Promise<boolean> | undefined;
    class KillThenPause extends Process {
      override run(): void {
        void this.kill('first');
        pausing = this.pause();
      }
    }
    const proc = new KillThenPause();
    await expect(proc.execute()).rejects.toThrow('first');
    expect(await pausing).toBe(false);
  });

  it('kills a paused WAITING process (plumpy test_kill_when_paused)', async () => {
    const proc = new WaitForSignalProcess();
    const driving = proc.stepUntilTerminated();
    await untilWaiting(proc);
    expect(await proc.pause()).toBe(true);
    expect(proc.paused).toBe(true);
    expect(await proc.kill()).toBe(true);
    await driving;
    expect(proc.state).toBe(ProcessState.KILLED);
    await expect(proc.future()).rejects.toThrow(KilledError);
  });

  it('kills a WAITING process that is being stepped', async () => {
    const proc = new WaitForSignalProcess();
    const done = proc.execute();
    expect(proc.state).toBe(ProcessState.WAITING);
    expect(await proc.kill('enough')).toBe(true);
    await expect(done).rejects.toThrow('enough');
  });

  it('kills from a listener while the process enters a state', async () => {
    class Waits extends Process {
      override run(): Wait {
        return new Wait(this.after);
      }
      after(): void {}
    }
    const proc = new Waits();
    proc.addProcessListener({ onProcessWaiting: (p) => void p.kill('listener kill') });
    await expect(proc.execute()).rejects.toThrow('listener kill');
    const forced = new DummyProcessWithOutput();
    forced.addProcessListener({ onProcessRunning: (p) => void p.kill('forced', { force: true }) });
    await expect(forced.execute()).rejects.toThrow('forced');
    expect(forced.state).toBe(ProcessState.KILLED);
  });

  it('ends stepUntilTerminated when killed while paused', async () => {
    class Steps extends Process {
      override run(): Continue {
        void this.pause();
        return new Continue(this.next);
      }
      next(): void {}
    }
    const proc = new Steps();
    const driving = proc.stepUntilTerminated();
    await until(proc, () => proc.paused);
    await proc.kill();
    await driving;
    expect(proc.state).toBe(ProcessState.KILLED);
  });
});
