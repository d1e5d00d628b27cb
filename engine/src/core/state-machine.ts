// The one place that decides which container state moves are legal (DESIGN.md rule 3).
import { conflict } from './errors.ts';
import type { ContainerStatus } from './container-types.ts';

const moves: Record<ContainerStatus, readonly ContainerStatus[]> = {
  created: ['running', 'removing', 'exited', 'dead'],
  running: ['paused', 'exited', 'restarting', 'removing', 'dead'],
  paused: ['running', 'exited', 'removing', 'dead'],
  restarting: ['running', 'exited', 'removing', 'dead'],
  exited: ['running', 'restarting', 'removing', 'dead'],
  removing: ['dead', 'exited', 'created'],
  dead: ['removing'],
};

export function canMove(from: ContainerStatus, to: ContainerStatus): boolean {
  return moves[from].includes(to);
}

/** Throws a Conflict when the move is illegal, so a bug never silently leaves a wrong state. */
export function assertMove(from: ContainerStatus, to: ContainerStatus, name: string): void {
  if (!canMove(from, to)) {
    throw conflict(`container ${name} cannot go from ${from} to ${to}`);
  }
}
