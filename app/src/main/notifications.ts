// Which engine events become desktop notifications: a container that exits non-zero on its own
// ("die" with exitCode ≠ 0, Docker API "Monitor events") and one whose health check turns
// unhealthy ("health_status: unhealthy"). A die that follows a kill (docker stop, docker kill, the
// Stop button) was asked for and is not news. Each kind can be turned off in the settings.
import type { EngineEvent } from '../common/docker-types.ts';
import type { AppSettings } from '../common/app-settings.ts';

export interface ContainerNotification {
  title: string;
  body: string;
  /** Where a click on it leads: the container's logs (renderer hash route). */
  route: string;
}

/** How long after a kill event the container's death counts as asked for (docker stop waits 10 s before SIGKILL). */
const KILL_WINDOW_MS = 30_000;

export class ContainerNotifier {
  private readonly killedAt = new Map<string, number>();

  /** The notification an event calls for, if any, under the current settings. */
  handle(event: EngineEvent, settings: AppSettings['notifications']): ContainerNotification | undefined {
    if (event.Type !== 'container') return undefined;
    const id = event.Actor.ID;
    const name = event.Actor.Attributes.name ?? id.slice(0, 12);
    const now = event.time * 1000;
    const logs = `#/containers/${encodeURIComponent(id)}/logs`;
    if (event.Action === 'kill') {
      this.killedAt.set(id, now);
      return undefined;
    }
    if (event.Action === 'destroy') {
      this.killedAt.delete(id);
      return undefined;
    }
    if (event.Action === 'die') {
      const killed = this.killedAt.get(id);
      this.killedAt.delete(id);
      const code = Number(event.Actor.Attributes.exitCode);
      if (!settings.containerFailed || !Number.isFinite(code) || code === 0) return undefined;
      if (killed !== undefined && now - killed <= KILL_WINDOW_MS) return undefined;
      return { title: `${name} exited with code ${code}`, body: `The container stopped on its own (image ${event.Actor.Attributes.image ?? 'unknown'}). Click to see its logs.`, route: logs };
    }
    if (event.Action === 'health_status: unhealthy') {
      if (!settings.containerUnhealthy) return undefined;
      return { title: `${name} is unhealthy`, body: 'Its health check is failing. Click to see its logs.', route: logs };
    }
    return undefined;
  }
}
