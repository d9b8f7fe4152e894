/**
 * The controller tests of plumpy (tests/rmq/test_process_comms.py,
 * tests/rmq/test_communicator.py's TestTaskActions), run against any
 * communicator: processes and launchers live on `worker`, the controller sends
 * on `client` (the same communicator for an in-process one).
 */
import { BroadcastFilter, RemoteException, UnroutableError, type Communicator } from '@plumpy-ts/communicator';
import { InMemoryPersister } from '@plumpy-ts/persistence';
import { KilledError, ProcessState, type AnyProcess } from '@plumpy-ts/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageBuilder } from '../message-builder.js';
import { newPid } from '../new-pid.js';
import { processOutcome } from '../process-end.js';
import { ProcessLauncher } from '../process-launcher.js';
import { RemoteProcessController } from '../remote-process-controller.js';
import {
  CountingWorkChain,
  Doubler,
  DummyProcess,
  DummyProcessWithOutput,
  FailingProcess,
  SelfKillingProcess,
  SlowWorkChain,
  WaitForSignalProcess,
} from './processes.js';
import { deferred, recordingLogger, whenEvent } from './support.js';

/** The two ends of a test. */
export interface ControllerFixture {
  /** Where processes and launchers live. */
  worker: Communicator;
  /** Where the controller sends from. */
  client: Communicator;
  /** Closes both. */
  close(): Promise<void>;
}

/** How to run the suite on one kind of communicator. */
export interface ControllerSuiteOptions {
  /** A fresh, isolated pair of communicators. */
  open(): Promise<ControllerFixture>;
  /** Resolves once the subscriptions made so far on `communicator` are in place. */
  ready(communicator: Communicator): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Registers the suite's tests (vitest) under `name`. */
export function controllerSuite(name: string, options: ControllerSuiteOptions): void {
  describe(name, () => {
    let fixture: ControllerFixture;
    let worker: Communicator;
    let controller: RemoteProcessController;
    const logger = recordingLogger();
    const live: AnyProcess[] = [];

    /** A process on the worker's communicator, reachable once this resolves. */
    async function spawn<P extends AnyProcess>(make: (communicator: Communicator) => P, step = true): Promise<P> {
      const process = make(worker);
      live.push(process);
      if (step) process.stepUntilTerminated().catch(() => undefined);
      await options.ready(worker);
      return process;
    }

    function subscribeLauncher(launcher: ProcessLauncher): Promise<void> {
      worker.addTaskSubscriber(launcher.handle);
      return options.ready(worker);
    }

    beforeEach(async () => {
      fixture = await options.open();
      worker = fixture.worker;
      controller = new RemoteProcessController(fixture.client);
    });

    afterEach(async () => {
      for (const process of live.splice(0)) {
        if (!process.hasTerminated()) await process.kill('test over');
      }
      await fixture.close();
    });

    describe('RemoteProcessController', () => {
      it('pauses a process (test_pause)', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }));
        expect(await controller.pauseProcess(proc.pid)).toBe(true);
        expect(proc.paused).toBe(true);
      });

      it('pauses with a message, which becomes the status', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }));
        expect(await controller.pauseProcess(proc.pid, 'hold on')).toBe(true);
        expect(proc.status).toBe('hold on');
        expect((await controller.getStatus(proc.pid)).paused).toBe(true);
      });

      it('plays a paused process (test_play)', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }));
        expect(await proc.pause()).toBe(true);
        expect(await controller.playProcess(proc.pid)).toBe(true);
        expect(proc.paused).toBe(false);
        expect(proc.state).toBe(ProcessState.WAITING);
        expect(await controller.killProcess(proc.pid)).toBe(true);
      });

      it('plays a paused process that was never stepped (sync controller test_play)', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }), false);
        expect(await proc.pause()).toBe(true);
        expect(await controller.playProcess(proc.pid)).toBe(true);
        expect(proc.paused).toBe(false);
        expect(proc.state).toBe(ProcessState.CREATED);
      });

      it('kills a process (test_kill)', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }));
        expect(await controller.killProcess(proc.pid)).toBe(true);
        expect(proc.state).toBe(ProcessState.KILLED);
      });

      it('kills with a message and the force flag', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }));
        expect(await controller.killProcess(proc.pid, 'bang bang, I shot you down', { force: true })).toBe(true);
        expect(proc.state).toBe(ProcessState.KILLED);
        expect(proc.killedMsg()).toEqual({ message: 'bang bang, I shot you down', force: true });
        expect(() => proc.result()).toThrow(KilledError);
      });

      it('stops answering once it has terminated (it unsubscribes)', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }), false);
        const killed = await controller.killProcess(proc.pid);
        expect(killed).toBe(true);
        await options.ready(worker);
        // It has unsubscribed: nobody answers under its pid any more.
        await expect(controller.killProcess(proc.pid)).rejects.toBeInstanceOf(UnroutableError);
      });

      it('gets the status (test_status)', async () => {
        const proc = await spawn((communicator) => new WaitForSignalProcess({ communicator }));
        const status = await controller.getStatus(proc.pid);
        expect(status).toEqual({
          ctime: proc.creationTime,
          paused: false,
          processString: '<WaitForSignalProcess> (waiting)',
          state: 'waiting',
        });
        expect(Math.abs(status.ctime - Date.now())).toBeLessThan(60_000);
        await controller.killProcess(proc.pid);
      });

      it("gets a work chain's status with its stepper position", async () => {
        const proc = await spawn(
          (communicator) => new SlowWorkChain({ communicator, inputs: { iterations: 1000, delayMs: 5 } }),
          false,
        );
        const status = await controller.getStatus(proc.pid);
        expect(status.state).toBe('created');
        expect(typeof status.stepper).toBe('string');
      });

      it('answers a status RPC with MessageBuilder.status() sent directly (tutorial part 10)', async () => {
        const proc = await spawn((communicator) => new DummyProcess({ communicator }), false);
        const status = await fixture.client.rpcSend(String(proc.pid), MessageBuilder.status());
        expect(status).toMatchObject({ paused: false, processString: '<DummyProcess> (created)', state: 'created' });
      });

      it('rejects with UnroutableError for an unknown pid', async () => {
        await expect(controller.getStatus(newPid())).rejects.toBeInstanceOf(UnroutableError);
      });

      it('broadcasts every state change with the pid as sender (test_broadcast)', async () => {
        const subjects: string[] = [];
        const done = deferred();
        const pid = newPid();
        fixture.client.addBroadcastSubscriber(
          new BroadcastFilter(
            (_c, _body, _sender, subject) => {
              subjects.push(String(subject));
              if (subject === 'state_changed.running.finished') done.resolve();
            },
            { sender: pid },
          ),
        );
        await options.ready(fixture.client);
        const proc = new DummyProcess({ communicator: worker, pid });
        await proc.execute();
        await done.promise;
        const sequence = DummyProcess.EXPECTED_STATE_SEQUENCE;
        expect(subjects).toEqual(sequence.map((state, i) => `state_changed.${i === 0 ? 'null' : sequence[i - 1]}.${state}`));
      });

      it('pauses all processes (test_pause_all)', async () => {
        const procs = await Promise.all(
          Array.from({ length: 10 }, () => spawn((communicator) => new WaitForSignalProcess({ communicator }), false)),
        );
        const paused = procs.map((proc) => whenEvent(proc, 'onProcessPaused', () => proc.paused));
        await controller.pauseAll("Slow yo' roll");
        await Promise.all(paused);
        expect(procs.every((proc) => proc.paused && proc.status === "Slow yo' roll")).toBe(true);
      });

      it('plays all processes (test_play_all)', async () => {
        const procs = await Promise.all(
          Array.from({ length: 10 }, () => spawn((communicator) => new WaitForSignalProcess({ communicator }), false)),
        );
        for (const proc of procs) expect(await proc.pause('hold tight')).toBe(true);
        const played = procs.map((proc) => whenEvent(proc, 'onProcessPlayed', () => !proc.paused));
        await controller.playAll();
        await Promise.all(played);
        expect(procs.every((proc) => !proc.paused)).toBe(true);
      });

      it('kills all processes (test_kill_all)', async () => {
        const procs = await Promise.all(
          Array.from({ length: 10 }, () => spawn((communicator) => new WaitForSignalProcess({ communicator }))),
        );
        const killed = procs.map((proc) => whenEvent(proc, 'onProcessKilled', () => proc.hasTerminated()));
        await controller.killAll('bang bang, I shot you down');
        await Promise.all(killed);
        expect(procs.every((proc) => proc.state === ProcessState.KILLED)).toBe(true);
        expect(procs.every((proc) => proc.killedMsg()?.message === 'bang bang, I shot you down')).toBe(true);
      });
    });

    describe('task actions', () => {
      let persister: InMemoryPersister;
      beforeEach(async () => {
        persister = new InMemoryPersister();
        await subscribeLauncher(new ProcessLauncher({ persister, logger }));
      });

      it('launches a process and answers its outputs (test_launch)', async () => {
        expect(await controller.launchProcess(DummyProcess)).toEqual(DummyProcess.EXPECTED_OUTPUTS);
      });

      it('launches with inputs', async () => {
        expect(await controller.launchProcess(Doubler, { inputs: { a: 21 } })).toEqual({ doubled: 42 });
        expect(await controller.launchProcess(CountingWorkChain)).toEqual({ result: 11 });
        expect(await controller.launchProcess(CountingWorkChain, { inputs: { steps: 2 } })).toEqual({ result: 3 });
      });

      it('launches without waiting and answers the pid (test_launch_nowait)', async () => {
        const pid = await controller.launchProcess(DummyProcess, { nowait: true });
        expect(pid).toMatch(UUID);
      });

      it('launches many (test_launch_many)', async () => {
        const pids = await Promise.all(
          Array.from({ length: 10 }, () => controller.launchProcess(DummyProcess, { nowait: true })),
        );
        expect(new Set(pids).size).toBe(10);
        for (const pid of pids) expect(pid).toMatch(UUID);
      });

      it('executes a process: create, then continue (test_execute_action)', async () => {
        expect(await controller.executeProcess(DummyProcessWithOutput)).toEqual(DummyProcessWithOutput.EXPECTED_OUTPUTS);
      });

      it('executes without waiting (test_execute_action_nowait)', async () => {
        const pid = await controller.executeProcess(DummyProcessWithOutput, { nowait: true });
        expect(pid).toMatch(UUID);
        expect(await processOutcome(fixture.client, pid, { persister })).toEqual(DummyProcessWithOutput.EXPECTED_OUTPUTS);
      });

      it('continues a saved process (test_continue)', async () => {
        const process = new DummyProcessWithOutput();
        await persister.saveCheckpoint(process);
        expect(await controller.continueProcess(process.pid)).toEqual(DummyProcessWithOutput.EXPECTED_OUTPUTS);
      });

      it('continues from a tagged checkpoint', async () => {
        const process = new Doubler({ inputs: { a: 4 } });
        await persister.saveCheckpoint(process, 'start');
        expect(await controller.continueProcess(process.pid, { tag: 'start' })).toEqual({ doubled: 8 });
      });

      it('continues without waiting', async () => {
        const process = new Doubler({ inputs: { a: 5 } });
        await persister.saveCheckpoint(process);
        expect(await controller.continueProcess(process.pid, { nowait: true })).toBe(String(process.pid));
        expect(await processOutcome(fixture.client, process.pid, { persister })).toEqual({ doubled: 10 });
      });

      it('fails the task of a process that excepts or is killed, with the reason', async () => {
        const excepted = controller.launchProcess(FailingProcess);
        await expect(excepted).rejects.toBeInstanceOf(RemoteException);
        await expect(excepted).rejects.toThrow('it went wrong on purpose');
        const killed = controller.launchProcess(SelfKillingProcess);
        await expect(killed).rejects.toBeInstanceOf(RemoteException);
        await expect(killed).rejects.toThrow('no thanks');
        await expect(killed).rejects.toMatchObject({ remoteName: 'KilledError' });
      });

      it('fails the task when the inputs are invalid', async () => {
        await expect(controller.launchProcess(Doubler, { inputs: { a: 'x' } })).rejects.toThrow(
          /value 'a' is not of the right type/,
        );
      });

      it('sends fire-and-forget launches (noReply)', async () => {
        const pid = newPid();
        expect(await controller.launchProcess(Doubler, { inputs: { a: 1 }, persist: true, pid, noReply: true })).toBe(
          undefined,
        );
        expect(await processOutcome(fixture.client, pid, { persister })).toEqual({ doubled: 2 });
      });

      it('persists a launched process and keeps its last checkpoint', async () => {
        const pid = await controller.launchProcess(CountingWorkChain, { persist: true, nowait: true });
        expect((await persister.getProcessCheckpoints(pid)).length).toBe(1);
        expect(await processOutcome(fixture.client, pid, { persister })).toEqual({ result: 11 });
        const last = (await persister.loadCheckpoint(pid)).unbundle<AnyProcess>();
        expect(last.state).toBe(ProcessState.FINISHED);
        expect(last.outputs).toEqual({ result: 11 });
      });

      it('controls a process launched with nowait: pause, status, play, kill', async () => {
        const pid = await controller.launchProcess(SlowWorkChain, {
          inputs: { iterations: 1000, delayMs: 2 },
          persist: true,
          nowait: true,
        });
        expect(await controller.pauseProcess(pid, 'wait a bit')).toBe(true);
        const status = await controller.getStatus(pid);
        expect(status.paused).toBe(true);
        expect(['created', 'running']).toContain(status.state);
        expect(status.processString).toBe(`<SlowWorkChain> (${status.state})`);
        expect(await controller.playProcess(pid)).toBe(true);
        expect((await controller.getStatus(pid)).paused).toBe(false);
        const outcome = processOutcome(fixture.client, pid, { persister });
        outcome.catch(() => undefined); // it may reject before the assertions below attach
        expect(await controller.killProcess(pid, 'enough')).toBe(true);
        await expect(outcome).rejects.toThrow(KilledError);
        await expect(outcome).rejects.toThrow('enough');
      });

      it('runs a paused-then-played process to the end with the right outputs', async () => {
        const pid = await controller.launchProcess(SlowWorkChain, {
          inputs: { iterations: 5, delayMs: 2 },
          persist: true,
          nowait: true,
        });
        const outcome = processOutcome(fixture.client, pid, { persister });
        await controller.pauseProcess(pid);
        await controller.playProcess(pid);
        expect(await outcome).toEqual({ count: 5 });
      });
    });
  });
}
