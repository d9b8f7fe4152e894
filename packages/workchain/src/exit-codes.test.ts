// Exit codes (AiiDA): a step returning this.exitCodes.NAME or a number ends the
// chain with that exit status; so does return_(code) in the outline.
import { describe, expect, it } from 'vitest';
import { ExitCode, Kill, UnsuccessfulResult } from '@plumpy-ts/process';
import { WorkChain, if_, return_, type WorkChainSpec } from './index.js';

class Checked extends WorkChain<{ mode: string }> {
  ran: string[] = [];

  static override define(spec: WorkChainSpec): void {
    super.define(spec);
    spec.input('mode', { validType: String });
    spec.exitCode(400, 'ERROR_INVALID', 'The input was invalid: {reason}');
    spec.exitCode(401, 'ERROR_OUTLINE', 'Returned from the outline');
    spec.outline(
      'check',
      if_('outlineReturns')(return_('ERROR_OUTLINE')),
      if_('outlineReturnsStatus')(return_(401)),
      if_('outlineReturnsCode')(return_(new ExitCode(402, 'ERROR_ADHOC'))),
      'after',
    );
  }

  check(): unknown {
    this.ran.push('check');
    switch (this.inputs.mode) {
      case 'exit-code':
        return this.exitCodes.ERROR_INVALID;
      case 'formatted':
        return this.exitCodes.ERROR_INVALID!.format({ reason: 'too big' });
      case 'number':
        return 7;
      case 'declared-number':
        return 400;
      case 'zero-code':
        return new ExitCode(0);
      case 'negative':
        return -1;
      case 'kill':
        return new Kill('by request');
      case 'unsuccessful':
        return new UnsuccessfulResult(9);
      case 'value':
        return 'a result';
      default:
        return undefined;
    }
  }

  outlineReturns(): boolean {
    return this.inputs.mode === 'outline';
  }

  outlineReturnsStatus(): boolean {
    return this.inputs.mode === 'outline-status';
  }

  outlineReturnsCode(): boolean {
    return this.inputs.mode === 'outline-code';
  }

  after(): void {
    this.ran.push('after');
  }
}

async function run(mode: string): Promise<Checked> {
  const chain = new Checked({ inputs: { mode } });
  await chain.execute().catch(() => undefined);
  return chain;
}

describe('a step ends the chain', () => {
  it('with a declared exit code', async () => {
    const chain = await run('exit-code');
    expect(chain.state).toBe('finished');
    expect(chain.exitStatus).toBe(400);
    expect(chain.isSuccessful).toBe(false);
    expect(chain.result()).toBe(chain.exitCodes.ERROR_INVALID);
    expect(chain.ran).toEqual(['check']);
  });

  it('with a formatted exit code', async () => {
    const chain = await run('formatted');
    expect(chain.exitStatus).toBe(400);
    expect((chain.result() as ExitCode).message).toBe('The input was invalid: too big');
  });

  it('with a number, as an exit status', async () => {
    const chain = await run('number');
    expect(chain.exitStatus).toBe(7);
    expect(chain.isSuccessful).toBe(false);
    expect(chain.result()).toEqual(new ExitCode(7));
  });

  it('with a number that is a declared status, as that exit code', async () => {
    const chain = await run('declared-number');
    expect(chain.result()).toBe(chain.exitCodes.ERROR_INVALID);
  });

  it('successfully with exit code 0', async () => {
    const chain = await run('zero-code');
    expect(chain.isSuccessful).toBe(true);
    expect(chain.exitStatus).toBe(0);
    expect(chain.ran).toEqual(['check']);
  });

  it('EXCEPTED for a number that cannot be an exit status', async () => {
    const chain = await run('negative');
    expect(chain.state).toBe('excepted');
    expect(chain.exception()).toBeInstanceOf(TypeError);
  });

  it('as a process would for other values', async () => {
    expect((await run('kill')).state).toBe('killed');
    const unsuccessful = await run('unsuccessful');
    expect(unsuccessful.isSuccessful).toBe(false);
    expect(unsuccessful.exitStatus).toBe(9);
    const value = await run('value');
    expect(value.isSuccessful).toBe(true);
    expect(value.result()).toBe('a result');
    expect(value.ran).toEqual(['check']);
  });

  it('not when the step returns nothing', async () => {
    const chain = await run('none');
    expect(chain.isSuccessful).toBe(true);
    expect(chain.ran).toEqual(['check', 'after']);
  });
});

describe('return_ in the outline ends the chain', () => {
  it("with a declared exit code named by name", async () => {
    const chain = await run('outline');
    expect(chain.result()).toBe(chain.exitCodes.ERROR_OUTLINE);
    expect(chain.exitStatus).toBe(401);
    expect(chain.ran).toEqual(['check']);
    expect(chain.stepperPosition).toBe('');
  });

  it('with a declared exit code named by status', async () => {
    const chain = await run('outline-status');
    expect(chain.result()).toBe(chain.exitCodes.ERROR_OUTLINE);
  });

  it('with an exit code given as such', async () => {
    const chain = await run('outline-code');
    expect(chain.exitStatus).toBe(402);
    expect((chain.result() as ExitCode).name).toBe('ERROR_ADHOC');
  });
});
