// `docker stats`: samples a container's usage, alone or once a second, each paired with the one
// before it (dockerd's precpu_stats) so clients can compute CPU % from the two.
import type { ContainerRecord } from '../../core/container-types.ts';
import type { ContainerStore } from '../../core/container-store.ts';
import type { StatsReader, StatsSample } from './stats-types.ts';

/** dockerd's collector interval: streamed samples and the precpu of a single one are 1 s apart. */
export const STATS_INTERVAL_MS = 1000;

export interface StatsPair {
  record: ContainerRecord;
  /** Undefined for a container that is not running (dockerd answers zeroed stats). */
  current?: StatsSample;
  previous?: StatsSample;
}

const live = (record: ContainerRecord) => record.State.Status === 'running' || record.State.Status === 'paused';

export class StatsService {
  readonly #store: ContainerStore;
  readonly #reader: StatsReader;
  readonly #intervalMs: number;

  constructor(deps: { store: ContainerStore; reader: StatsReader; intervalMs?: number }) {
    this.#store = deps.store;
    this.#reader = deps.reader;
    this.#intervalMs = deps.intervalMs ?? STATS_INTERVAL_MS;
  }

  async #sample(record: ContainerRecord): Promise<StatsSample | undefined> {
    if (!live(record)) return undefined;
    // The host's interfaces are not the container's: dockerd reports none for --network=host.
    const pid = record.HostConfig.NetworkMode === 'host' ? 0 : record.State.Pid;
    return this.#reader.sample(record.Id, pid).catch(() => undefined);
  }

  /** One sample. Unless `oneShot`, waits an interval for a second one so precpu is filled. */
  async once(ref: string, oneShot: boolean): Promise<StatsPair> {
    const record = this.#store.get(ref);
    const first = await this.#sample(record);
    if (oneShot || !first) return { record, current: first };
    await delay(this.#intervalMs);
    return { record, current: await this.#sample(record), previous: first };
  }

  /** Calls `emit` at once and then every interval until `signal` aborts. */
  async stream(ref: string, emit: (pair: StatsPair) => void, signal: AbortSignal): Promise<void> {
    const record = this.#store.get(ref);
    let previous: StatsSample | undefined;
    while (!signal.aborted) {
      const current = await this.#sample(record);
      emit({ record, current, previous });
      previous = current;
      await delay(this.#intervalMs, signal);
    }
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
