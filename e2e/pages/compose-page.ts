// Compose view (app/src/renderer/README.md): "Open compose file…" (a textbox "Compose file path"
// in the dashboard), the `region` "Compose CLI" with Up / Pull / Restart / Down, its `log`
// "Compose output" and an `alert` with the CLI's message; the `table` "Compose projects" with a
// row per project (Start / Stop / Restart / Delete, or Up when it is down) and a link to the
// project page, whose `log` "Project logs" merges every service's lines, with the Logs tab's
// `toolbar` "Log options" (searchbox "Search logs", Follow, Timestamps).
import type { Locator, Page } from 'playwright-core';

export class ComposePage {
  readonly page: Page;
  readonly table: Locator;
  readonly cli: Locator;
  readonly projectLog: Locator;
  /** The project log's toolbar (Follow, Timestamps, Copy/Download) and its search. */
  readonly logOptions: Locator;
  readonly logSearch: Locator;
  readonly logSearchCount: Locator;

  constructor(page: Page) {
    this.page = page;
    this.table = page.getByRole('table', { name: 'Compose projects' });
    this.cli = page.getByRole('region', { name: 'Compose CLI' });
    this.projectLog = page.getByRole('log', { name: 'Project logs' });
    this.logOptions = page.getByRole('toolbar', { name: 'Log options' });
    this.logSearch = this.logOptions.getByRole('searchbox', { name: 'Search logs' });
    this.logSearchCount = this.logOptions.getByRole('status');
  }

  /** The dashboard's way: a path on the machine Berth runs on. */
  async openFile(path: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Compose file path', exact: true }).fill(path);
    await this.page.getByRole('button', { name: 'Open compose file…', exact: true }).click();
    await this.cli.waitFor({ state: 'visible' });
  }

  cliButton(name: 'Up' | 'Pull' | 'Restart' | 'Down' | 'Close' | 'Cancel'): Locator {
    return this.cli.getByRole('button', { name, exact: true });
  }

  cliError(): Locator {
    return this.cli.getByRole('alert');
  }

  row(project: string): Locator {
    return this.table.getByRole('row', { name: project, exact: true });
  }

  button(project: string, name: 'Start' | 'Stop' | 'Restart' | 'Delete' | 'Up' | 'Open'): Locator {
    return this.row(project).getByRole('button', { name, exact: true });
  }

  async openProject(project: string): Promise<void> {
    await this.row(project).getByRole('link', { name: project, exact: true }).click();
    await this.projectLog.waitFor({ state: 'visible' });
  }

  async deleteProject(project: string, withVolumes = false): Promise<void> {
    await this.button(project, 'Delete').click();
    const dialog = this.page.getByRole('dialog', { name: `Delete project ${project}?` });
    await dialog.waitFor({ state: 'visible' });
    if (withVolumes) await dialog.getByRole('checkbox', { name: 'Also delete its volumes' }).check();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  }
}

/** The project page's own buttons (its header holds the whole-project actions). */
export function projectPageButton(page: Page, name: 'Start' | 'Stop' | 'Restart' | 'Delete'): Locator {
  return page.getByRole('main').getByRole('button', { name, exact: true });
}
