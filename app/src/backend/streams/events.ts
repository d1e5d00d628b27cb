// `events` stream: the engine's events, across engine restarts and endpoint switches.
import type { EngineEvent } from '../../common/docker-types.ts';
import type { BackendContext } from '../backend-context.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';

export function openEventsStream(context: BackendContext, sink: StreamSink<EngineEvent>): StreamSession<never> {
  // Events are few (a handful per user action), so a congested transport is left to buffer them:
  // dropping one would leave a list stale.
  const unsubscribe = context.events.subscribe({ onEvent: (event) => sink.next(event) });
  return { close: unsubscribe };
}
