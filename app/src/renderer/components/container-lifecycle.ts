// Which lifecycle buttons a container's state allows, and what each one asks the engine
// (Docker API: POST /containers/{id}/start|stop|restart|pause|unpause, DELETE /containers/{id}).
import type { ContainerAction, DesktopApi } from '../../common/desktop-api.ts';
import type { ContainerState } from '../../common/docker-types.ts';

export type LifecycleLabel = 'Start' | 'Stop' | 'Restart' | 'Pause' | 'Resume' | 'Delete';

export const LIFECYCLE_LABELS: readonly LifecycleLabel[] = ['Start', 'Stop', 'Restart', 'Pause', 'Resume', 'Delete'];

const ENGINE_ACTION: Record<Exclude<LifecycleLabel, 'Delete'>, ContainerAction> = {
  Start: 'start', Stop: 'stop', Restart: 'restart', Pause: 'pause', Resume: 'unpause',
};

/** What the buttons do, as the error toast says it: "Could not stop web". */
export const LIFECYCLE_VERB: Record<LifecycleLabel, string> = {
  Start: 'start', Stop: 'stop', Restart: 'restart', Pause: 'pause', Resume: 'resume', Delete: 'delete',
};

/** The buttons that apply to a container in `state`, in the order they are shown. */
export function actionsFor(state: ContainerState | string): LifecycleLabel[] {
  switch (state) {
    case 'running': return ['Stop', 'Restart', 'Pause', 'Delete'];
    case 'paused': return ['Resume', 'Stop', 'Delete'];
    case 'restarting': return ['Stop', 'Delete'];
    case 'removing': return [];
    default: return ['Start', 'Delete']; // created, exited, dead
  }
}

/** A running (or paused, or restarting) container must be forced out, as Docker Desktop does. */
export function needsForce(state: ContainerState | string): boolean {
  return state === 'running' || state === 'paused' || state === 'restarting';
}

/** `engine` (an engine id): act there rather than on the current engine (the merged list). */
export function runLifecycle(api: DesktopApi, container: { Id: string; State: string }, label: LifecycleLabel, engine?: string): Promise<void> {
  const on = engine === undefined ? [] : [engine] as const;
  if (label === 'Delete') return api.removeContainer(container.Id, { force: needsForce(container.State), volumes: false }, ...on);
  return api.containerAction(container.Id, ENGINE_ACTION[label], ...on);
}
