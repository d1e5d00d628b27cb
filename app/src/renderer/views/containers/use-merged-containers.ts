// The merged list: every reachable engine's containers in one list, each container tagged with its
// engine (id for the calls, label for the Engine column). Engines that could not be asked are
// reported apart; a container listed by two names of one engine (two contexts, one socket) once.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ContainerSummary } from '../../../common/docker-types.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';

export interface RowEngine { id: string; label: string; current: boolean }

export const MERGED_REFRESH_MS = 5000;

export function useMergedContainers(enabled: boolean) {
  const api = useDesktopApi();
  // Events come from the current engine only: the others are refreshed on an interval.
  const query = useQuery({ queryKey: queryKeys.allContainers, queryFn: () => api.listAllContainers(), enabled, refetchInterval: MERGED_REFRESH_MS });
  return useMemo(() => {
    if (!query.data) return { query, containers: undefined, engineOf: undefined, engines: [], failed: [] };
    const containers: ContainerSummary[] = [];
    const engineOf = new Map<string, RowEngine>();
    for (const entry of query.data) {
      for (const container of entry.containers ?? []) {
        if (engineOf.has(container.Id)) continue;
        engineOf.set(container.Id, { id: entry.engine, label: entry.label, current: entry.current });
        containers.push(container);
      }
    }
    const engines = query.data.filter((entry) => entry.containers).map((entry) => ({ id: entry.engine, label: entry.label }));
    const failed = query.data.filter((entry) => entry.error).map((entry) => ({ label: entry.label, error: entry.error ?? '' }));
    return { query, containers, engineOf, engines, failed };
  }, [query]);
}
