import { describe, expect, it } from 'vitest';
import { EventError, TransitionFailed } from './errors.js';
import { event } from './event.js';
import { State } from './state.js';
import { StateEventHook, StateMachine } from './state-machine.js';

// plumpy's tests/base/test_statemachine.py: a CD player with three states.
type Label = 'stopped' | 'playing' | 'paused';

class Playing extends State<Label, CdPlayer> {
  static override LABEL = 'playing';
  static override ALLOWED = new Set(['paused', 'stopped']);
  readonly track: string;
  enteredTimes = 0;
  exitedTimes = 0;

  constructor(player: CdPlayer, track?: string) {
    if (track === undefined) throw new Error('Must provide a track name');
    super(player);
    this.track = track;
  }

  override enter(): void {
    super.enter();
    this.enteredTimes += 1;
  }

  override exit(): void {
    super.exit();
    this.exitedTimes += 1;
  }

  play(): false {
    return false;
  }

  override toString(): string {
    return `> ${this.track}`;
  }
}

class Paused extends State<Label, CdPlayer> {
  static override LABEL = 'paused';
  static override ALLOWED = new Set(['playing', 'stopped']);
  readonly playingState: Playing;

  constructor(player: CdPlayer, playingState: Playing) {
    super(player);
    this.playingState = playingState;
  }

  play(track?: string): void {
    if (track !== undefined) this.machine.transitionTo(new Playing(this.machine, track));
    else this.machine.transitionTo(this.playingState);
  }

  override toString(): string {
    return `|| (${this.playingState.toString()})`;
  }
}

class Stopped extends State<Label, CdPlayer> {
  static override LABEL = 'stopped';
  static override ALLOWED = new Set(['playing']);

  play(track?: string): void {
    this.machine.transitionTo('playing', track);
  }

  override toString(): string {
    return '[]';
  }
}

class CdPlayer extends StateMachine<Label> {
  static override STATES = [Stopped, Playing, Paused];
  readonly log: string[] = [];

  constructor() {
    super();
    this.addStateEventCallback(StateEventHook.ENTERING, (_m, _h, state) => this.log.push(`Entering ${String(state)}`));
    this.addStateEventCallback(StateEventHook.EXITING, () => this.log.push(`Exiting ${this.state}`));
  }

  get playing(): Playing | Paused | Stopped {
    return this.currentState as Playing | Paused | Stopped;
  }

  play = event({ to: ['playing'] })(function play(this: CdPlayer, track?: string): false | undefined {
    const result = this.playing.play(track);
    return result === false ? false : undefined;
  });

  pause = event({ from: ['playing'], to: ['paused'] })(function pause(this: CdPlayer): boolean {
    this.transitionTo(new Paused(this, this.currentState as Playing));
    return true;
  });

  stop = event({ from: ['playing', 'paused'], to: ['stopped'] })(function stop(this: CdPlayer): void {
    this.transitionTo('stopped');
  });
}

describe('CD player (plumpy test_statemachine)', () => {
  it('plays, pauses, resumes the same track and stops', () => {
    const cd = new CdPlayer();
    expect(cd.state).toBe('stopped');
    expect(cd.currentState).toBeInstanceOf(Stopped);

    cd.play('Eminem - The Real Slim Shady');
    expect(cd.state).toBe('playing');
    const playing = cd.currentState as Playing;
    expect(playing.track).toBe('Eminem - The Real Slim Shady');
    expect(playing.inState).toBe(true);

    expect(cd.pause()).toBe(true);
    expect(cd.state).toBe('paused');
    expect(playing.inState).toBe(false);
    expect(String(cd.currentState)).toBe('|| (> Eminem - The Real Slim Shady)');

    cd.play();
    expect(cd.state).toBe('playing');
    expect(cd.currentState).toBe(playing);
    expect(playing.enteredTimes).toBe(2);
    expect(playing.exitedTimes).toBe(1);

    expect(cd.play()).toBe(false);

    cd.stop();
    expect(cd.state).toBe('stopped');
    // The callbacks were added after the initial state was entered.
    expect(cd.log).toEqual([
      'Exiting stopped',
      'Entering > Eminem - The Real Slim Shady',
      'Exiting playing',
      'Entering || (> Eminem - The Real Slim Shady)',
      'Exiting paused',
      'Entering > Eminem - The Real Slim Shady',
      'Exiting playing',
      'Entering []',
    ]);
  });

  it('plays a new track from paused', () => {
    const cd = new CdPlayer();
    cd.play('one');
    cd.pause();
    cd.play('two');
    expect((cd.currentState as Playing).track).toBe('two');
  });

  it('refuses to play without a track (the state constructor throws)', () => {
    const cd = new CdPlayer();
    expect(() => cd.play()).toThrow(TransitionFailed);
    expect(() => cd.play()).toThrow("Transition from 'stopped' to 'playing' failed: Error: Must provide a track name");
    expect(cd.state).toBe('stopped');
  });

  it('rejects events in states that do not accept them', () => {
    const cd = new CdPlayer();
    expect(() => cd.pause()).toThrow(EventError);
    expect(() => cd.pause()).toThrow('Event pause invalid in state stopped');
    expect(() => cd.stop()).toThrow('Event stop invalid in state stopped');
  });

  it('prints as <Class> (label)', () => {
    const cd = new CdPlayer();
    expect(String(cd)).toBe('<CdPlayer> (stopped)');
  });
});
