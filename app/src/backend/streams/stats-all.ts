// `statsAll` stream: CPU % and memory of every running container, about once a second, for the
// Containers list. Rather than one long-lived stats connection per container (hundreds of open
// sockets and engine-side samplers), each round lists the running containers and takes one-shot
// samples (stream=0&one-shot=1) with bounded concurrency; CPU % comes from the difference to the
// reading kept from the previous round.
import type { CpuStatsJson, StatsJson } from '../../common/stats-math.ts';
import { cpuPercent, memoryUsage } from '../../common/stats-math.ts';
import type { BackendContext } from '../backend-context.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineJson } from '../engine-request.ts';

const ROUND_MS = 1000;
const CONCURRENCY = 8;

type Usage = Record<string, { cpuPercent: number; memoryUsage: number }>;

export function openStatsAllStream(context: BackendContext, sink: StreamSink<Usage>): StreamSession<never> {
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let previous = new Map<string, CpuStatsJson>();

  const sampleAll = async (ids: string[]): Promise<Usage> => {
    const docker = context.target.docker;
    const usage: Usage = {};
    const next = new Map<string, CpuStatsJson>();
    let index = 0;
    const worker = async () => {
      while (!closed && index < ids.length) {
        const id = ids[index++];
        try {
          const json = await engineJson<StatsJson>(docker, { method: 'GET', path: `/containers/${id}/stats`, query: { stream: 0, 'one-shot': 1 } });
          const cpu = json.cpu_stats ?? {};
          next.set(id, cpu);
          const before = previous.get(id);
          usage[id] = { cpuPercent: before ? cpuPercent(cpu, before) : 0, memoryUsage: memoryUsage(json.memory_stats) };
        } catch {
          // Stopped or removed between the list and the sample: it simply drops out of this round.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
    previous = next;
    return usage;
  };

  const round = async () => {
    const started = Date.now();
    try {
      const running = await engineJson<{ Id: string }[]>(context.target.docker, {
        method: 'GET', path: '/containers/json', query: { filters: JSON.stringify({ status: ['running'] }) },
      });
      const usage = await sampleAll(running.map((c) => c.Id));
      if (!closed) sink.next(usage);
    } catch {
      // Engine down or switching: keep trying each round; the engine stream reports the outage.
      previous = new Map();
    }
    if (!closed) timer = setTimeout(() => void round(), Math.max(0, ROUND_MS - (Date.now() - started)));
  };
  void round();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
