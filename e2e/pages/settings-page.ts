// Settings view: `heading` "Settings", `radiogroup` "Theme" (System, Light, Dark), `textbox`
// "Engine endpoint at launch" + button "Save endpoint", and the checkboxes "Start at login",
// "Keep engine running on quit", "Container failed", "Container unhealthy".
import type { Locator, Page } from 'playwright-core';

export type SettingsCheckbox = 'Start at login' | 'Keep engine running on quit' | 'Container failed' | 'Container unhealthy';

export const DESKTOP_ONLY_NOTE = 'Applies in the desktop app only.';

export class SettingsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly theme: Locator;
  readonly launchEndpoint: Locator;
  readonly saveEndpoint: Locator;
  readonly vm: Locator;
  readonly saveVm: Locator;
  /** The form "Shared folders": its list, the "Folder to share" field and "Add folder". */
  readonly shares: Locator;
  readonly shareField: Locator;
  readonly addFolder: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Settings', exact: true });
    this.theme = page.getByRole('radiogroup', { name: 'Theme', exact: true });
    this.launchEndpoint = page.getByRole('textbox', { name: 'Engine endpoint at launch', exact: true });
    this.saveEndpoint = page.getByRole('button', { name: 'Save endpoint', exact: true });
    this.vm = page.getByRole('form', { name: 'Virtual machine', exact: true });
    this.saveVm = this.vm.getByRole('button', { name: 'Save VM settings', exact: true });
    this.shares = page.getByRole('form', { name: 'Shared folders', exact: true });
    this.shareField = this.shares.getByRole('textbox', { name: 'Folder to share', exact: true });
    this.addFolder = this.shares.getByRole('button', { name: 'Add folder', exact: true });
  }

  vmField(name: 'CPUs' | 'Memory (MiB)' | 'Disk size (GiB)'): Locator {
    return this.vm.getByRole('textbox', { name, exact: true });
  }

  /** "Remove <path>" next to a shared folder in the list. */
  shareRemove(path: string): Locator {
    return this.shares.getByRole('button', { name: `Remove ${path}`, exact: true });
  }

  themeChoice(name: 'System' | 'Light' | 'Dark'): Locator {
    return this.theme.getByRole('radio', { name, exact: true });
  }

  checkbox(name: SettingsCheckbox): Locator {
    return this.page.getByRole('checkbox', { name, exact: true });
  }

  /** The colour scheme the page renders in, as CSS resolves it on <html> ('light' or 'dark'). */
  colorScheme(): Promise<string> {
    // A string, not a function: this project's Node typecheck has no DOM lib.
    return this.page.evaluate('getComputedStyle(document.documentElement).colorScheme') as Promise<string>;
  }
}
