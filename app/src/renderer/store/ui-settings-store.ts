// UI preferences (zustand, remembered in localStorage): which compose projects the user collapsed
// in the Containers list. The theme is an app setting kept by the backend (api/use-app-settings.ts),
// so Electron's window, its native theme and the dashboard agree on one choice.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

interface UiSettings {
  collapsedProjects: Record<string, true>;
  toggleProject(project: string): void;
}

export const useUiSettings = create<UiSettings>()(persist(
  (set) => ({
    collapsedProjects: {},
    toggleProject: (project) => set((state) => {
      const collapsedProjects = { ...state.collapsedProjects };
      if (collapsedProjects[project]) delete collapsedProjects[project];
      else collapsedProjects[project] = true;
      return { collapsedProjects };
    }),
  }),
  { name: 'berth.ui-settings', partialize: (state) => ({ collapsedProjects: state.collapsedProjects }) },
));
