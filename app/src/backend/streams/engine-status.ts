// `engine` stream: the current EngineStatus first, then one item per change. Changes are noticed
// by polling every 2 s, at once when Berth's engine starts or stops (localEngine transitions),
// when the shared events connection drops or returns, after engine events and after a switch.
import type { EngineStatus } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { readEngineStatus } from '../calls/engine-status.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';

const POLL_MS = 2000;

export function openEngineStatusStream(context: BackendContext, sink: StreamSink<EngineStatus>): StreamSession<never> {
  let closed = false;
  let running = false;
  let again = false;
  let lastSent: string | undefined;
  let timer: NodeJS.Timeout | undefined;

  // One read at a time; a request during a read asks for one more right after it, so the last
  // word always reflects the latest change.
  const refresh = async (): Promise<void> => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    try {
      do {
        again = false;
        const status = await readEngineStatus(context);
        if (closed) return;
        const text = JSON.stringify(status);
        if (text !== lastSent) {
          lastSent = text;
          sink.next(status);
        }
      } while (again && !closed);
    } finally {
      running = false;
      if (!closed) timer = setTimeout(() => void refresh(), POLL_MS);
    }
  };

  const unsubscribeTransitions = context.localEngine?.onTransition(() => void refresh()) ?? (() => {});
  const unsubscribeSwitch = context.target.onSwitch(() => void refresh());
  const unsubscribeEvents = context.events.subscribe({
    onConnectionChange: () => void refresh(),
    onEvent: (event) => {
      if (event.Type === 'daemon') void refresh();
    },
  });
  void refresh();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      unsubscribeTransitions();
      unsubscribeSwitch();
      unsubscribeEvents();
    },
  };
}
