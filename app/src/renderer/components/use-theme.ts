// Applies the theme setting (kept by the backend, chosen on the Settings screen): "system" follows
// prefers-color-scheme through CSS alone (styles/theme.css; in Electron, main also sets
// nativeTheme.themeSource, which is what that media query reports); "light" and "dark" pin it with
// a data attribute on <html>.
import { useEffect } from 'react';
import { useAppSettings } from '../api/use-app-settings.ts';

export function useTheme(): void {
  const theme = useAppSettings().data?.settings.theme ?? 'system';
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
