// Containers view: search, state filter, the "Containers" table (rows named by container name,
// compose projects as rowgroups), per-row lifecycle buttons and the "Selection" toolbar.
import type { Locator, Page } from 'playwright-core';

export type LifecycleAction = 'Start' | 'Stop' | 'Restart' | 'Pause' | 'Resume' | 'Delete';

export class ContainersPage {
  readonly page: Page;
  readonly search: Locator;
  readonly stateFilter: Locator;
  readonly table: Locator;
  readonly selection: Locator;

  constructor(page: Page) {
    this.page = page;
    this.search = page.getByRole('searchbox', { name: 'Search containers' });
    this.stateFilter = page.getByRole('combobox', { name: 'State filter' });
    this.table = page.getByRole('table', { name: 'Containers' });
    this.selection = page.getByRole('toolbar', { name: 'Selection' });
  }

  row(name: string): Locator {
    return this.table.getByRole('row', { name, exact: true });
  }

  /** A compose project's group of rows. */
  group(project: string): Locator {
    return this.table.getByRole('rowgroup', { name: project, exact: true });
  }

  action(name: string, action: LifecycleAction): Locator {
    return this.row(name).getByRole('button', { name: action, exact: true });
  }

  select(name: string): Locator {
    return this.row(name).getByRole('checkbox', { name: `Select ${name}`, exact: true });
  }

  bulk(action: LifecycleAction): Locator {
    return this.selection.getByRole('button', { name: action, exact: true });
  }

  portLink(name: string, hostPort: number, containerPort: number): Locator {
    return this.row(name).getByRole('link', { name: `${hostPort}:${containerPort}`, exact: true });
  }

  /** The row's visible text, for its state ("Running", "Exited (0)", "Paused"…). */
  async rowText(name: string): Promise<string> {
    return (await this.row(name).innerText({ timeout: 2_000 }).catch(() => '')).replace(/\s+/g, ' ');
  }

  async openDetail(name: string): Promise<void> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
  }
}

/** State words as the list shows them; matched as whole words so the button "Pause" is no "Paused". */
export const STATE_TEXT = {
  running: /\bRunning\b/i,
  exited: /\bExited\b/i,
  paused: /\bPaused\b/i,
  created: /\bCreated\b/i,
} as const;
