// Keyboard shortcuts for the main views (README.md): Ctrl/Cmd+1…9 open Containers, Images,
// Volumes, Networks, Engine, Terminal, Settings, Troubleshoot, Compose; views past nine (Swarm) have
// no digit. `/` focuses the current view's search box.
import { useEffect } from 'react';
import { routes } from './routes.ts';

export interface NavTarget {
  label: string;
  href: string;
  /** The digit of its Ctrl/Cmd shortcut; none for views past the nine digits. */
  digit?: number;
  /** aria-keyshortcuts. */
  shortcut?: string;
}

/**
 * The nav's entries in shortcut order; Terminal only when the backend offers a host shell.
 * Settings keeps 7 and Troubleshoot 8 either way, so their shortcuts are the same in every shell.
 */
export function navTargets(hostTerminal: boolean): NavTarget[] {
  const views = [
    { label: 'Containers', href: routes.containers },
    { label: 'Images', href: routes.images },
    { label: 'Volumes', href: routes.volumes },
    { label: 'Networks', href: routes.networks },
    { label: 'Engine', href: routes.engine },
    ...(hostTerminal ? [{ label: 'Terminal', href: routes.hostTerminal }] : []),
  ].map((target, i) => ({ ...target, digit: i + 1 }));
  // Compose sits under Containers in the list and Build next to Images; Compose takes the free 9
  // so the others keep their digits. Build and Swarm have none left (Ctrl+0 is the window's zoom
  // reset).
  const compose = { label: 'Compose', href: routes.compose, digit: 9 };
  const build = { label: 'Build', href: routes.build };
  const swarm = { label: 'Swarm', href: routes.swarm };
  return [views[0], compose, views[1], build, ...views.slice(2), swarm, { label: 'Settings', href: routes.settings, digit: 7 }, { label: 'Troubleshoot', href: routes.troubleshoot, digit: 8 }]
    .map((target: { label: string; href: string; digit?: number }) => (target.digit === undefined ? target : { ...target, shortcut: `Control+${target.digit} Meta+${target.digit}` }));
}

/** The attribute a view puts on its search box so `/` finds it. */
export const SEARCH_ATTRIBUTE = 'data-view-search';

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
    // xterm's hidden textarea lives inside .xterm: a terminal keeps every key.
    || target.closest('.xterm') !== null;
}

export function useShortcuts(targets: NavTarget[], navigate: (href: string) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && /^[1-9]$/.test(event.key)) {
        const target = targets.find((t) => t.digit === Number(event.key));
        if (!target) return;
        event.preventDefault();
        navigate(target.href);
        return;
      }
      if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingInto(event.target)) {
        const search = document.querySelector<HTMLElement>(`[${SEARCH_ATTRIBUTE}]`);
        if (!search) return;
        event.preventDefault();
        search.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [targets, navigate]);
}
