// The app's settings (server state: the backend keeps them, DESIGN.md rule 7). A change is sent
// and the backend's answer replaces the cached settings; a refusal leaves them as they were.
// (The Settings screen shows a change while it is in flight itself: see settings-view.tsx.)
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppSettings, AppSettingsApplies, AppSettingsChange } from '../../common/desktop-api.ts';
import { useDesktopApi } from './api-context.tsx';
import { queryKeys } from './query-keys.ts';

export type AppSettingsAnswer = { settings: AppSettings; applies: AppSettingsApplies };

export function useAppSettings() {
  const api = useDesktopApi();
  return useQuery({ queryKey: queryKeys.appSettings, queryFn: () => api.appSettings(), staleTime: Infinity });
}

/** `settings` with a change on top (notification toggles merge one by one). */
export function withChange(settings: AppSettings, change: AppSettingsChange): AppSettings {
  return { ...settings, ...change, notifications: { ...settings.notifications, ...change.notifications } };
}

export function useUpdateAppSettings(handlers: { onSuccess?(settings: AppSettings, change: AppSettingsChange): void; onError?(error: Error, change: AppSettingsChange): void } = {}) {
  const api = useDesktopApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: AppSettingsChange) => api.updateAppSettings(change),
    onError: (error, change) => handlers.onError?.(error, change),
    onSuccess: (settings, change) => {
      client.setQueryData<AppSettingsAnswer>(queryKeys.appSettings, (old) => (old ? { ...old, settings } : old));
      handlers.onSuccess?.(settings, change);
    },
  });
}
