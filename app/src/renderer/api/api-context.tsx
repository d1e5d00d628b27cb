// Hands the one DesktopApi to every component (DESIGN.md rule 7: the renderer depends on it alone).
import { createContext, useContext, type ReactNode } from 'react';
import type { DesktopApi } from '../../common/desktop-api.ts';

const DesktopApiContext = createContext<DesktopApi | null>(null);

export function DesktopApiProvider({ api, children }: { api: DesktopApi; children: ReactNode }) {
  return <DesktopApiContext.Provider value={api}>{children}</DesktopApiContext.Provider>;
}

export function useDesktopApi(): DesktopApi {
  const api = useContext(DesktopApiContext);
  if (!api) throw new Error('useDesktopApi needs a DesktopApiProvider above it');
  return api;
}
