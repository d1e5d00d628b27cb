// xterm's colours from the page's theme: the terminal box's computed background and text colour
// (terminal.css sets them from the theme's custom properties), so light/dark follow the app.
// Computed colours are resolved rgb() values, which xterm parses; custom properties would not be.
import type { ITheme } from '@xterm/xterm';
import { currentColorScheme } from './color-scheme.ts';

export function terminalTheme(element: HTMLElement): ITheme {
  const style = getComputedStyle(element);
  const background = style.backgroundColor || '#10141a';
  const foreground = style.color || '#e4e9f0';
  return {
    background,
    foreground,
    cursor: foreground,
    cursorAccent: background,
    selectionBackground: currentColorScheme() === 'dark' ? 'rgba(91, 143, 255, 0.45)' : 'rgba(29, 99, 237, 0.25)',
  };
}
