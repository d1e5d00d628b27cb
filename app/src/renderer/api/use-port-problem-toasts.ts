// A toast for each published port of the Berth VM that the host could not listen on (another
// program holds it…): the container runs, but is not reachable there. Each problem is said once
// per appearance; it shows again only after it went away and came back.
import { useEffect, useRef } from 'react';
import type { EngineStatus } from '../../common/desktop-api.ts';
import { useToasts } from '../store/toast-store.ts';

export function usePortProblemToasts(engine: EngineStatus | undefined): void {
  const told = useRef(new Set<string>());
  const problems = engine?.vm?.portProblems;
  useEffect(() => {
    const now = new Set(problems ?? []);
    for (const message of now) {
      if (!told.current.has(message)) useToasts.getState().push({ kind: 'error', title: 'A published port is not reachable on this computer', detail: message });
    }
    told.current = now;
  }, [problems]);
}
