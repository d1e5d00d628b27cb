// Which colour scheme the page shows, and when it changes. The app theme (styles/theme.css) sets
// `color-scheme` on <html> from the system preference or from a pinned data-theme, so the
// computed value is the truth; canvases (xterm, uPlot) and the JSON tree read it to pick colours.
import { useSyncExternalStore } from 'react';

export type ColorScheme = 'light' | 'dark';

export function currentColorScheme(): ColorScheme {
  const declared = getComputedStyle(document.documentElement).colorScheme;
  if (declared.includes('dark') && !declared.includes('light')) return 'dark';
  if (declared.includes('light') && !declared.includes('dark')) return 'light';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Calls `onChange` when the system preference or the pinned theme changes. */
export function watchColorScheme(onChange: () => void): () => void {
  const query = window.matchMedia?.('(prefers-color-scheme: dark)');
  query?.addEventListener('change', onChange);
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
  return () => {
    query?.removeEventListener('change', onChange);
    observer.disconnect();
  };
}

export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(watchColorScheme, currentColorScheme);
}
