// Applies the theme setting: "system" follows prefers-color-scheme through CSS alone
// (styles/theme.css); "light" and "dark" pin it with a data attribute on <html>.
import { useEffect } from 'react';
import { useUiSettings } from '../store/ui-settings-store.ts';

export function useTheme(): void {
  const theme = useUiSettings((state) => state.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
