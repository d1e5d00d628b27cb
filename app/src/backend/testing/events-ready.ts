// The engine's event stream is live only: what happens before a subscription reaches the engine
// is never delivered. Tests that act and then expect an event first wait for the stream to flow,
// by making probe events (a throwaway volume) until one arrives, instead of sleeping and hoping.
import type { EngineEvent } from '../../common/docker-types.ts';

type RunDocker = (args: string[]) => Promise<unknown>;

export async function untilEventsFlow(seen: () => readonly EngineEvent[], docker: RunDocker, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const name = `events-probe-${process.pid}-${attempt}`;
    await docker(['volume', 'create', name]);
    await docker(['volume', 'rm', name]);
    // The probe's own events come within milliseconds once the stream is live.
    for (const until = Date.now() + 500; Date.now() < until;) {
      if (seen().some((e) => e.Type === 'volume' && e.Actor.ID === name)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`the event stream delivered no probe event within ${ms} ms`);
}
