import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalesce.ts';

/** A promise and its resolve, for holding an async answer in flight. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Coalescer', () => {
  it('computes once for identical requests that arrive before the answer starts', async () => {
    const c = new Coalescer();
    let computed = 0;
    const compute = () => `answer ${++computed}`;
    const answers = await Promise.all([c.answer('/containers/json', compute), c.answer('/containers/json', compute), c.answer('/containers/json', compute)]);
    expect(answers).toEqual(['answer 1', 'answer 1', 'answer 1']);
    expect(computed).toBe(1);
  });

  it('computes requests with different keys apart', async () => {
    const c = new Coalescer();
    const [a, b] = await Promise.all([c.answer('/containers/json', () => 'running'), c.answer('/containers/json?all=1', () => 'all')]);
    expect([a, b]).toEqual(['running', 'all']);
  });

  it('gives a request that arrives while an answer is computing a new answer, with the changes made before it arrived', async () => {
    const c = new Coalescer();
    let state = 'before';
    const started = deferred();
    const hold = deferred();
    const first = c.answer('/images/json', async () => {
      const seen = state;
      started.resolve();
      await hold.promise;
      return seen;
    });
    await started.promise;
    // A change, then a request: the answer in flight predates the change, so it must not be shared.
    state = 'after';
    const second = c.answer('/images/json', () => state);
    hold.resolve();
    expect(await first).toBe('before');
    expect(await second).toBe('after');
  });

  it('sees a change made between a request and the start of its answer', async () => {
    const c = new Coalescer();
    let state = 'before';
    const answer = c.answer('/containers/json', () => state);
    state = 'after';
    expect(await answer).toBe('after');
  });

  it('gives every request that shared a failed answer the error, and computes again for the next one', async () => {
    const c = new Coalescer();
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('invalid filter');
    };
    const results = await Promise.allSettled([c.answer('/containers/json?filters=x', failing), c.answer('/containers/json?filters=x', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(c.answer('/containers/json?filters=x', failing)).rejects.toThrow('invalid filter');
    expect(calls).toBe(2);
  });
});
