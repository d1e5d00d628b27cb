// Listens to an engine's GET /events (Docker Engine API "System › Monitor events") over its Unix
// socket, keeping each event with its timeNano: the engine's own time of the state change.
import { request, type ClientRequest } from 'node:http';

export interface TimedEvent {
  Type: string;
  Action: string;
  id: string;
  name?: string;
  /** Epoch milliseconds from the event's timeNano. */
  epoch: number;
}

export interface EventLog {
  events: TimedEvent[];
  /** The first event of `action` for `name` after `sinceEpoch`, waiting up to `ms` for it. */
  next(action: string, name: string, sinceEpoch: number, ms?: number): Promise<TimedEvent>;
  stop(): void;
}

export function listenToEvents(socketPath: string): Promise<EventLog> {
  const events: TimedEvent[] = [];
  return new Promise((resolve, reject) => {
    let partial = '';
    const req: ClientRequest = request({ socketPath, path: '/events?filters=' + encodeURIComponent(JSON.stringify({ type: ['container'] })) }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET /events → HTTP ${res.statusCode}`));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          const e = JSON.parse(line) as { Type: string; Action: string; Actor?: { ID: string; Attributes?: Record<string, string> }; timeNano: number };
          events.push({ Type: e.Type, Action: e.Action, id: e.Actor?.ID ?? '', name: e.Actor?.Attributes?.name, epoch: e.timeNano / 1e6 });
        }
      });
      resolve({
        events,
        async next(action, name, sinceEpoch, ms = 20_000) {
          const deadline = Date.now() + ms;
          while (Date.now() < deadline) {
            const hit = events.find((e) => e.Action === action && e.name === name && e.epoch >= sinceEpoch);
            if (hit) return hit;
            await new Promise((r) => setTimeout(r, 20));
          }
          throw new Error(`no ${action} event for ${name} within ${ms} ms`);
        },
        stop: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
