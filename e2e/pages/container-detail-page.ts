// Container detail: heading with the name, the lifecycle buttons, and the tabs Logs, Inspect,
// Stats, Terminal, Files with the roles app/src/renderer/README.md names.
import type { Locator, Page } from 'playwright-core';
import type { LifecycleAction } from './containers-page.ts';
import { FilesTable } from './files-table.ts';

export type DetailTab = 'Logs' | 'Inspect' | 'Stats' | 'Terminal' | 'Files';

export class ContainerDetailPage {
  readonly page: Page;
  readonly tabs: Locator;
  // Logs
  readonly log: Locator;
  readonly logSearch: Locator;
  readonly follow: Locator;
  readonly timestamps: Locator;
  // Inspect
  readonly inspectTree: Locator;
  // Terminal
  readonly terminalInput: Locator;
  readonly reconnect: Locator;
  // Files
  readonly files: FilesTable;

  constructor(page: Page) {
    this.page = page;
    this.tabs = page.getByRole('tablist');
    this.log = page.getByRole('log', { name: 'Container logs' });
    this.logSearch = page.getByRole('searchbox', { name: 'Search logs' });
    this.follow = page.getByRole('checkbox', { name: 'Follow', exact: true });
    this.timestamps = page.getByRole('checkbox', { name: 'Timestamps', exact: true });
    this.inspectTree = page.getByRole('tree', { name: 'Inspect' });
    this.terminalInput = page.getByRole('textbox', { name: 'Terminal input' });
    this.reconnect = page.getByRole('button', { name: 'Reconnect', exact: true });
    this.files = new FilesTable(page);
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  tab(name: DetailTab): Locator {
    return this.tabs.getByRole('tab', { name, exact: true });
  }

  async openTab(name: DetailTab): Promise<void> {
    await this.tab(name).click();
  }

  action(action: LifecycleAction): Locator {
    return this.page.getByRole('button', { name: action, exact: true });
  }

  /** Highlighted search hits inside the log (<mark>, the HTML element for highlights). */
  highlights(text: string | RegExp): Locator {
    return this.log.locator('mark').filter({ hasText: text });
  }

  statsFigure(name: 'CPU' | 'Memory' | 'Network' | 'Disk'): Locator {
    return this.page.getByRole('figure', { name, exact: true });
  }

  /** The Terminal tab's status (Connected / Disconnected); toasts are statuses too, so match the text. */
  terminalStatus(text: 'Connected' | 'Disconnected'): Locator {
    return this.page.getByRole('status').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) });
  }

  /** What the terminal shows: the text of the visible tab panel (xterm's DOM renderer rows). */
  async terminalText(): Promise<string> {
    return (await this.page.getByRole('tabpanel').innerText()).replace(/\u00a0/g, ' ');
  }
}
