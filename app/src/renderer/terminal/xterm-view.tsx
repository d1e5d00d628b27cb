// A terminal over the `terminal` stream, shared by the container Terminal tab and the host
// terminal: xterm.js draws it, addon-fit sizes it to its box, and every keystroke, paste and
// resize goes to the backend (a TTY exec in the container, or node-pty on the host).
//
// Status: "Connecting…" until the shell's first output arrives (the backend only accepts input
// once the session exists, so keystrokes typed before that are queued), "Connected", then
// "Disconnected" when the process exits, the stream fails or the container goes away. Reconnect
// opens a new session in the same terminal; a change of `reconnectKey` (e.g. the container's
// StartedAt after a restart) does it automatically, as does the target becoming available again.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { TerminalInput, TerminalTarget } from '../../common/desktop-api.ts';
import { useDesktopApi } from '../api/api-context.tsx';
import { watchColorScheme } from './color-scheme.ts';
import { terminalTheme } from './terminal-theme.ts';
import './palette.css';
import './terminal.css';

export interface XtermViewProps {
  target: TerminalTarget;
  /** False keeps the terminal shut and shows `unavailableMessage` (e.g. a stopped container). */
  available?: boolean;
  unavailableMessage?: string;
  /** A new value starts a new session by itself (the container's StartedAt: a new run). */
  reconnectKey?: string;
}

type Status = 'connecting' | 'connected' | 'disconnected';
const STATUS_TEXT: Record<Status, string> = { connecting: 'Connecting…', connected: 'Connected', disconnected: 'Disconnected' };

export function XtermView({ target, available = true, unavailableMessage, reconnectKey }: XtermViewProps) {
  const api = useDesktopApi();
  const box = useRef<HTMLDivElement>(null);
  const [terminal, setTerminal] = useState<{ term: Terminal; fit: FitAddon } | null>(null);
  const [status, setStatus] = useState<Status>('connecting');
  const [message, setMessage] = useState('');
  /** Bumped by Reconnect (button or automatic) to open a new session. */
  const [session, setSession] = useState(0);
  const sessionKey = useRef<string | undefined>(reconnectKey);
  const targetKey = JSON.stringify(target);

  // The xterm instance lives as long as the component; sessions come and go inside it.
  useEffect(() => {
    const element = box.current!;
    const term = new Terminal({
      fontFamily: getComputedStyle(element).getPropertyValue('--bx-mono').trim() || 'monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      theme: terminalTheme(element),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    // xterm names its input textarea itself; set it anyway, the e2e tests and screen readers rely on it.
    term.textarea?.setAttribute('aria-label', 'Terminal input');
    fit.fit();
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit.fit());
    });
    observer.observe(element);
    const stopWatching = watchColorScheme(() => { term.options.theme = terminalTheme(element); });
    setTerminal({ term, fit });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      stopWatching();
      setTerminal(null);
      term.dispose();
    };
  }, []);

  // One session: open the stream at the fitted size, wire input both ways, close on the way out.
  useEffect(() => {
    if (!terminal) return undefined;
    const { term, fit } = terminal;
    if (!available) {
      setStatus('disconnected');
      setMessage(unavailableMessage ?? '');
      return undefined;
    }
    fit.fit();
    sessionKey.current = reconnectKey;
    setStatus('connecting');
    setMessage('');
    let connected = false;
    let ended = false;
    const queued: TerminalInput[] = [];
    const opened = { cols: term.cols, rows: term.rows };
    const end = (text: string) => {
      if (ended) return;
      ended = true;
      setStatus('disconnected');
      setMessage(text);
      term.write(`\r\n\x1b[2m[${text}]\x1b[0m\r\n`);
    };
    const handle = api.open('terminal', [JSON.parse(targetKey) as TerminalTarget, opened], {
      next(item) {
        if (!connected) {
          connected = true;
          setStatus('connected');
          for (const input of queued.splice(0)) handle.send(input);
          if (term.cols !== opened.cols || term.rows !== opened.rows) handle.send({ resize: { cols: term.cols, rows: term.rows } });
        }
        if ('data' in item) term.write(item.data);
        else end(item.exit === null ? 'Process exited' : `Process exited (code ${item.exit})`);
      },
      error(error) { end(`Disconnected: ${error.message}`); },
      complete() { end('Session ended'); },
    });
    const send = (input: TerminalInput) => {
      if (ended) return;
      if (connected) handle.send(input);
      else if ('data' in input) queued.push(input);
    };
    const dataListener = term.onData((data) => send({ data }));
    const binaryListener = term.onBinary((data) => send({ data }));
    const resizeListener = term.onResize(({ cols, rows }) => { if (connected) send({ resize: { cols, rows } }); });
    // Take focus for typing, unless the user is moving through the tabs with the keyboard.
    if (!document.activeElement?.closest('[role="tablist"]')) term.focus();
    return () => {
      ended = true;
      dataListener.dispose();
      binaryListener.dispose();
      resizeListener.dispose();
      handle.close();
    };
  }, [api, terminal, targetKey, available, unavailableMessage, session]);
  // reconnectKey is only read above: a new value must not cut a live session (see the effect below).

  // Automatic reconnect when the key moves on (a new container run): the old session's process
  // died with the previous run even if its stream has not ended yet, so start a new one at once.
  useEffect(() => {
    if (available && reconnectKey !== sessionKey.current) setSession((n) => n + 1);
  }, [available, reconnectKey]);

  return (
    <div className="terminal-view">
      <div className="terminal-bar">
        <span role="status" className={`terminal-status terminal-status-${status}`}>{STATUS_TEXT[status]}</span>
        {message && <span className="terminal-message">{message}</span>}
        {status === 'disconnected' && available && (
          <button type="button" onClick={() => setSession((n) => n + 1)}>Reconnect</button>
        )}
      </div>
      <div ref={box} className="terminal-box" />
    </div>
  );
}
