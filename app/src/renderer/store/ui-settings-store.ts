// UI preferences (zustand, remembered in localStorage): the theme, and which compose projects the
// user collapsed in the Containers list.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type ThemeSetting = 'system' | 'light' | 'dark';

interface UiSettings {
  theme: ThemeSetting;
  setTheme(theme: ThemeSetting): void;
  collapsedProjects: Record<string, true>;
  toggleProject(project: string): void;
}

export const useUiSettings = create<UiSettings>()(persist(
  (set) => ({
    theme: 'system',
    setTheme: (theme) => set({ theme }),
    collapsedProjects: {},
    toggleProject: (project) => set((state) => {
      const collapsedProjects = { ...state.collapsedProjects };
      if (collapsedProjects[project]) delete collapsedProjects[project];
      else collapsedProjects[project] = true;
      return { collapsedProjects };
    }),
  }),
  { name: 'berth.ui-settings', partialize: (state) => ({ theme: state.theme, collapsedProjects: state.collapsedProjects }) },
));
