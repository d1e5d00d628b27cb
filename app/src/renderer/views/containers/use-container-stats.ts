// CPU and memory of every running container from the one `statsAll` stream (about once a second),
// held by the view rather than by each row: a thousand rows cost one subscription.
import { useState } from 'react';
import { useStream } from '../../api/use-stream.ts';
import type { RowStats } from './container-row.tsx';

export function useContainerStats(enabled: boolean): Record<string, RowStats> {
  const [stats, setStats] = useState<Record<string, RowStats>>({});
  useStream('statsAll', [], 'statsAll', { next: setStats, error: () => setStats({}) }, enabled);
  return stats;
}
