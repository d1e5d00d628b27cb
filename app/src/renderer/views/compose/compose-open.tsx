// "Open compose file…": in Electron the desktop's own dialog, in the dashboard a path on the
// machine Berth (its backend, and so the Compose CLI) runs on, which is the engine's machine for
// a local engine but not for a remote one (the backend checks it and says what is wrong). The chosen files then get the
// `region` "Compose CLI": Up, Pull, Restart, Down (Cancel while one runs), the CLI's output as it
// prints it, and, when it fails, the CLI's own message as an alert.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ComposeCommand, ComposeFiles } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { useCapabilities } from '../../api/use-engine-status.ts';
import { toastError } from '../../store/toast-store.ts';
import { MAX_LINES, useComposeRun } from './compose-run-store.ts';

export const REMEMBERED_KEY = ['compose', 'remembered'] as const;

const COMMANDS: { command: ComposeCommand; label: string }[] = [
  { command: 'up', label: 'Up' },
  { command: 'pull', label: 'Pull' },
  { command: 'restart', label: 'Restart' },
  { command: 'down', label: 'Down' },
];

export function OpenComposeFile() {
  const api = useDesktopApi();
  const native = useCapabilities().data?.nativeDialogs === true;
  const show = useComposeRun((state) => state.show);
  const [path, setPath] = useState('');
  if (native) {
    const choose = async () => {
      try {
        const chosen = await api.chooseComposeFile();
        if (chosen) show({ files: [chosen] });
      } catch (error) {
        toastError('Could not open the file dialog', error);
      }
    };
    return <button type="button" className="primary" onClick={() => void choose()}>Open compose file…</button>;
  }
  return (
    <form className="compose-open" onSubmit={(event) => { event.preventDefault(); if (path.trim()) show({ files: [path.trim()] }); }}>
      <input type="text" aria-label="Compose file path" placeholder="/path/to/compose.yaml on the machine Berth runs on" value={path}
        onChange={(event) => setPath(event.target.value)} size={48} />
      <button type="submit" className="primary" disabled={!path.trim()}>Open compose file…</button>
    </form>
  );
}

export function ComposeCliPanel({ files }: { files: ComposeFiles }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const run = useComposeRun((state) => state.run);
  const start = useComposeRun((state) => state.start);
  const clear = useComposeRun((state) => state.clear);
  const cancel = useComposeRun((state) => state.cancel);
  const output = useRef<HTMLDivElement>(null);
  const running = run?.phase === 'running';
  const lines = run?.lines ?? [];

  // The output follows its end, as a terminal would.
  useEffect(() => {
    const el = output.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);

  const go = (command: ComposeCommand) => start(api, files, command, () => void client.invalidateQueries({ queryKey: REMEMBERED_KEY }));
  return (
    <section className="compose-cli" aria-label="Compose CLI">
      <div className="compose-cli-head">
        <code className="compose-files">{files.files.join(', ')}</code>
        <div className="row-actions">
          {COMMANDS.map(({ command, label }) => (
            <button key={command} type="button" className={command === 'up' ? 'primary' : command === 'down' ? 'danger-outline' : undefined}
              disabled={running} aria-busy={(running && run?.command === command) || undefined} onClick={() => go(command)}>{label}</button>
          ))}
          {running
            ? <button type="button" className="danger-outline" onClick={cancel}>Cancel</button>
            : <button type="button" onClick={clear}>Close</button>}
        </div>
      </div>
      {run?.phase === 'failed' && (
        <div role="alert" className="compose-error">
          <strong>compose {run.command} failed</strong>
          <pre>{run.error}</pre>
        </div>
      )}
      {(lines.length > 0 || running || run?.phase === 'cancelled') && (
        <div ref={output} role="log" aria-label="Compose output" className="compose-output" tabIndex={0}>
          {run !== undefined && run.dropped > 0 && (
            <div className="muted">{run.dropped.toLocaleString()} earlier lines not shown (the newest {MAX_LINES.toLocaleString()} are kept)</div>
          )}
          {lines.map((line, i) => <div key={i} className={line.stream === 'stderr' ? 'compose-line stderr' : 'compose-line'}>{line.text}</div>)}
          {running && <div className="muted">compose {run?.command} running…</div>}
          {run?.phase === 'done' && run.exit !== undefined && <div className="muted">compose {run.command} finished (exit {run.exit})</div>}
          {run?.phase === 'cancelled' && (
            <div className="muted">compose {run.command} cancelled: the CLI was stopped; what it made so far stays (Start or Delete it with the project)</div>
          )}
        </div>
      )}
    </section>
  );
}
