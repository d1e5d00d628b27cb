// Checks for the terminal stream's arguments and inputs, which arrive as untrusted JSON.
import type { TerminalInput, TerminalSize, TerminalTarget } from '../../common/desktop-api.ts';
import { requireInteger, requireObject, resourceId, stringArray } from '../argument-checks.ts';
import { badRequest } from '../backend-error.ts';

export function checkTerminalSize(value: unknown, field = 'terminal size'): TerminalSize {
  const size = requireObject(value, field);
  return { cols: requireInteger(size.cols, `${field}.cols`, 1, 10_000), rows: requireInteger(size.rows, `${field}.rows`, 1, 10_000) };
}

export function checkTerminalTarget(value: unknown): TerminalTarget {
  const target = requireObject(value, 'terminal target');
  if (target.kind === 'host') return { kind: 'host' };
  if (target.kind !== 'container') throw badRequest('terminal target.kind must be "container" or "host"');
  const shell = target.shell === undefined || target.shell === null ? undefined : stringArray(target.shell, 'terminal target.shell');
  if (shell !== undefined && shell.length === 0) throw badRequest('terminal target.shell must name a program');
  return { kind: 'container', id: resourceId(target.id, 'terminal target.id'), ...(shell ? { shell } : {}) };
}

/** A malformed input is dropped: a stray message must not end a user's shell. */
export function parseTerminalInput(value: unknown): TerminalInput | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const input = value as Record<string, unknown>;
  if (typeof input.data === 'string') return { data: input.data };
  if (input.resize !== undefined) {
    try {
      return { resize: checkTerminalSize(input.resize, 'resize') };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
