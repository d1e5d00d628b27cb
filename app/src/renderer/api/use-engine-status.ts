// The engine's status: read once, then kept current by the `engine` stream (use-engine-events.ts
// writes every item into this same query).
import { useQuery } from '@tanstack/react-query';
import type { EngineStatus } from '../../common/desktop-api.ts';
import { useDesktopApi } from './api-context.tsx';
import { queryKeys } from './query-keys.ts';

export function useEngineStatus(): EngineStatus | undefined {
  const api = useDesktopApi();
  return useQuery({ queryKey: queryKeys.engine, queryFn: () => api.engineStatus(), staleTime: Infinity }).data;
}

export function useCapabilities() {
  const api = useDesktopApi();
  return useQuery({ queryKey: queryKeys.capabilities, queryFn: () => api.capabilities(), staleTime: Infinity });
}
