// Applies the theme setting (kept by the backend, chosen on the Settings screen) as data-theme on
// <html>, always resolved to "light" or "dark": "system" follows prefers-color-scheme here (in
// Electron, main also sets nativeTheme.themeSource, which is what that media query reports). One
// attribute means styles/theme.css and terminal/palette.css state each dark palette once.
import { useEffect } from 'react';
import type { Theme } from '../../common/app-settings.ts';
import { useAppSettings } from '../api/use-app-settings.ts';

const darkQuery = () => window.matchMedia?.('(prefers-color-scheme: dark)');

export function applyTheme(theme: Theme): void {
  const resolved = theme === 'system' ? (darkQuery()?.matches ? 'dark' : 'light') : theme;
  document.documentElement.dataset.theme = resolved;
}

export function useTheme(): void {
  const theme = useAppSettings().data?.settings.theme ?? 'system';
  useEffect(() => {
    applyTheme(theme);
    if (theme !== 'system') return undefined;
    const query = darkQuery();
    const follow = () => applyTheme('system');
    query?.addEventListener('change', follow);
    return () => query?.removeEventListener('change', follow);
  }, [theme]);
}
