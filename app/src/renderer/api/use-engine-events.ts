// One subscription to the engine's event stream for the whole renderer: each event invalidates
// the react-query roots it touches, so lists change without a reload. Engine status arrives on
// its own stream and is written straight into the cache.
import { useQueryClient } from '@tanstack/react-query';
import type { EngineStatus } from '../../common/desktop-api.ts';
import type { EngineEvent } from '../../common/docker-types.ts';
import { queryKeys, rootsForEvent } from './query-keys.ts';
import { useStream } from './use-stream.ts';

export function useEngineEvents(onEvent?: (event: EngineEvent) => void): void {
  const client = useQueryClient();
  useStream('events', [], 'events', {
    next(event) {
      for (const root of rootsForEvent(event.Type, event.Action)) void client.invalidateQueries({ queryKey: root });
      onEvent?.(event);
    },
  });
  useStream('engine', [], 'engine', {
    next(status: EngineStatus) {
      const previous = client.getQueryData<EngineStatus>(queryKeys.engine);
      client.setQueryData(queryKeys.engine, status);
      // Coming back up (or switching endpoints) changes everything the lists show.
      if (previous && (previous.state !== status.state || previous.endpoint !== status.endpoint)) {
        void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'engine' });
      }
    },
  });
}
