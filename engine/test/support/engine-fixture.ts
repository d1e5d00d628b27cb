// The set-up most integration files share: one berthd for the file, the busybox test image
// pulled into it, and a polling helper for conditions that settle asynchronously.
import { afterAll, beforeAll, expect } from 'vitest';
import { startEngine, type EngineHandle, type StartEngineOptions } from './engine-harness.ts';
import { testImage } from './fixtures.ts';

export interface EngineFixture {
  engine: EngineHandle;
  busybox: string;
}

/** Registers beforeAll/afterAll; the returned object is filled in before the first test runs. */
export function useEngineWithBusybox(options: StartEngineOptions = {}): EngineFixture {
  const fixture = {} as EngineFixture;
  beforeAll(async () => {
    fixture.engine = await startEngine(options);
    fixture.busybox = testImage('busybox').ref;
    const pull = await fixture.engine.docker(['pull', fixture.busybox]);
    expect(pull.code, pull.stderr).toBe(0);
  });
  afterAll(async () => {
    await fixture.engine?.stop();
  });
  return fixture;
}

/** Polls `check` every 50 ms until it holds, failing after `ms`. */
export async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
