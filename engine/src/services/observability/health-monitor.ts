// Runs each running container's HEALTHCHECK through the exec machinery on a timer, keeps
// State.Health and publishes `health_status: <status>` events when it changes (dockerd's
// daemon/health.go). It follows containers through the event bus: `start` arms a monitor,
// `die` and `destroy` stop it, so the lifecycle services need no hooks.
import type { ContainerRecord } from '../../core/container-types.ts';
import type { EngineEvent } from '../../core/interfaces.ts';
import type { ContainerContext } from '../containers/context.ts';
import type { ExecService } from '../containers/exec-service.ts';
import { applyProbe, healthTimings, initialHealth, MAX_OUTPUT_BYTES, probeCommand, type HealthTimings, type ProbeResult } from './health-state.ts';

interface Monitor {
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

export class HealthMonitor {
  readonly #ctx: ContainerContext;
  readonly #execs: ExecService;
  readonly #monitors = new Map<string, Monitor>();
  #unsubscribe?: () => void;

  constructor(deps: { ctx: ContainerContext; execs: ExecService }) {
    this.#ctx = deps.ctx;
    this.#execs = deps.execs;
  }

  /** Subscribes to container events and arms monitors for containers already running. */
  start(): void {
    this.#unsubscribe = this.#ctx.events.subscribe((event) => this.#onEvent(event));
    for (const record of this.#ctx.store.list()) if (record.State.Status === 'running') this.#arm(record, false);
  }

  close(): void {
    this.#unsubscribe?.();
    for (const id of [...this.#monitors.keys()]) this.#disarm(id);
  }

  #onEvent(event: EngineEvent): void {
    if (event.Type !== 'container') return;
    if (event.Action === 'start') {
      const record = this.#ctx.store.find(event.Actor.ID);
      if (record) this.#arm(record, true);
    } else if (event.Action === 'die' || event.Action === 'destroy') {
      this.#disarm(event.Actor.ID);
    }
  }

  #arm(record: ContainerRecord, fresh: boolean): void {
    this.#disarm(record.Id);
    const command = probeCommand(record.Config.Healthcheck, record.Config.Shell);
    if (!command || !record.Config.Healthcheck) {
      delete record.State.Health;
      return;
    }
    const timings = healthTimings(record.Config.Healthcheck);
    // A new start begins again at "starting"; an engine restart keeps what was recorded.
    if (fresh || !record.State.Health) record.State.Health = initialHealth();
    const monitor: Monitor = { stopped: false };
    this.#monitors.set(record.Id, monitor);
    this.#schedule(record, monitor, command, timings);
  }

  #disarm(id: string): void {
    const monitor = this.#monitors.get(id);
    if (!monitor) return;
    monitor.stopped = true;
    clearTimeout(monitor.timer);
    this.#monitors.delete(id);
  }

  #schedule(record: ContainerRecord, monitor: Monitor, command: string[], timings: HealthTimings): void {
    const startedAt = Date.parse(record.State.StartedAt);
    const inStartPeriod = Date.now() - startedAt < timings.startPeriodMs;
    const wait = inStartPeriod && record.State.Health?.Status === 'starting' ? timings.startIntervalMs : timings.intervalMs;
    monitor.timer = setTimeout(() => {
      void this.#probe(record, command, timings).then(async (result) => {
        if (monitor.stopped || !result || record.State.Status !== 'running') return;
        const before = record.State.Health ?? initialHealth();
        record.State.Health = applyProbe(before, result, timings, startedAt);
        await this.#ctx.store.save(record).catch(() => undefined);
        if (record.State.Health.Status !== before.Status) this.#ctx.publish(record, `health_status: ${record.State.Health.Status}`);
      }).finally(() => {
        if (!monitor.stopped) this.#schedule(record, monitor, command, timings);
      });
    }, wait);
    monitor.timer.unref();
  }

  /** One probe through `docker exec` machinery; a timeout kills it and counts as exit -1. */
  async #probe(record: ContainerRecord, command: string[], timings: HealthTimings): Promise<ProbeResult | undefined> {
    const start = new Date();
    let execId: string;
    try {
      execId = this.#execs.create(record.Id, {
        Cmd: command, Env: [], User: '', WorkingDir: '', Tty: false, AttachStdin: false, AttachStdout: true, AttachStderr: true, Privileged: false, DetachKeys: '',
      });
    } catch {
      return undefined; // no longer running: the die event disarms us
    }
    let output = '';
    try {
      return await this.#runProbe(execId, timings, start, (text) => {
        if (output.length < MAX_OUTPUT_BYTES) output += text;
      }, () => output);
    } finally {
      this.#execs.forget(execId);
    }
  }

  async #runProbe(execId: string, timings: HealthTimings, start: Date, append: (text: string) => void, output: () => string): Promise<ProbeResult> {
    try {
      const { instance, session, exited } = await this.#execs.start(execId, false);
      session.onOutput((_stream, data) => append(data.toString('utf8')));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timings.timeoutMs)));
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        try {
          process.kill(instance.Pid, 'SIGKILL');
        } catch {
          // already gone
        }
        return { start, end: new Date(), exitCode: -1, output: `Health check exceeded timeout (${timings.timeoutMs / 1000}s)` };
      }
      return { start, end: new Date(), exitCode: outcome, output: output() };
    } catch (error) {
      // dockerd records a probe that could not run as a failure with the error as output.
      return { start, end: new Date(), exitCode: -1, output: error instanceof Error ? error.message : String(error) };
    }
  }
}
