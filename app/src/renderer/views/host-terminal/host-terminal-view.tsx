// Host terminal (route /terminal): a shell on this machine through the backend's node-pty, with
// DOCKER_HOST pointing at the engine. Only a local UI gets one (Electron, or the dashboard on
// loopback): the backend says so in capabilities().
import { useQuery } from '@tanstack/react-query';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import '../../terminal/palette.css';
import { XtermView } from '../../terminal/xterm-view.tsx';

const HOST = { kind: 'host' } as const;

export function HostTerminalView() {
  const api = useDesktopApi();
  const capabilities = useQuery({ queryKey: queryKeys.capabilities, queryFn: () => api.capabilities(), staleTime: Infinity });
  return (
    <section className="host-terminal" style={{ display: 'flex', flexDirection: 'column', gap: '0.75rem', height: '100%', minHeight: 0 }}>
      <h1>Terminal</h1>
      {capabilities.isPending && <p role="status">Loading…</p>}
      {capabilities.isError && <p role="alert">Could not ask the backend what it offers: {capabilities.error.message}</p>}
      {capabilities.data && !capabilities.data.hostTerminal && (
        <p>
          The host terminal is not offered here. A shell on this machine is only available to a local
          UI — the desktop app, or <code>berth dashboard</code> opened from this machine (loopback) —
          because anyone who can reach it could run commands as you. Open a container&apos;s Terminal tab
          for a shell inside a container instead.
        </p>
      )}
      {capabilities.data?.hostTerminal && (
        <>
          <p className="host-terminal-hint">A shell on this machine; <code>docker</code> commands here talk to Berth&apos;s engine.</p>
          <XtermView target={HOST} />
        </>
      )}
    </section>
  );
}
