// Waits for a condition on both engines by polling a read-only docker command (logs, inspect):
// the differential files act only once each side has reached the same point.
import { expect } from 'vitest';
import type { CliRun, SideBySide } from './side-by-side.ts';

const POLL_MS = 100;
const MAX_POLLS = 600;

/** Runs `args` on both engines until `done` holds for each; fails after MAX_POLLS tries. */
export async function untilBoth(both: SideBySide, args: string[], done: (run: CliRun) => boolean): Promise<void> {
  let last: { berth: CliRun; dockerd: CliRun } | undefined;
  for (let i = 0; i < MAX_POLLS; i++) {
    last = await both.run(args);
    if (done(last.berth) && done(last.dockerd)) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  expect.fail(`docker ${args.join(' ')} never reached the condition on both engines: ${JSON.stringify(last)}`);
}
