// The renderer's react-query defaults: the engine is local and events invalidate what changes, so
// data may be a little stale between events, a failed read is retried once (an engine restart,
// a slow socket), and coming back to the window refreshes what is shown.
import { QueryClient } from '@tanstack/react-query';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 2_000 },
      mutations: { retry: false },
    },
  });
}
