// Terminal tab: a shell in the container (TTY exec, as `docker exec -it <id> sh`). It connects
// while the container runs, and reconnects by itself when the container runs again.
import { useMemo } from 'react';
import { XtermView } from '../../terminal/xterm-view.tsx';

export function TerminalTab({ id, running, startedAt }: { id: string; running: boolean; startedAt: string | undefined }) {
  const target = useMemo(() => ({ kind: 'container' as const, id }), [id]);
  return (
    <XtermView
      target={target}
      available={running}
      unavailableMessage="The container is not running. Start it to open a terminal; this tab reconnects by itself."
      reconnectKey={startedAt}
    />
  );
}
