// Volumes view: "Create volume" dialog, the "Volumes" table with Browse and Delete per row, and
// the "Files" table that browsing shows.
import type { Locator, Page } from 'playwright-core';
import { FilesTable } from './files-table.ts';

export class VolumesPage {
  readonly page: Page;
  readonly createButton: Locator;
  readonly dialog: Locator;
  readonly table: Locator;
  readonly files: FilesTable;

  constructor(page: Page) {
    this.page = page;
    this.createButton = page.getByRole('button', { name: 'Create volume', exact: true });
    this.dialog = page.getByRole('dialog', { name: 'Create volume', exact: true });
    this.table = page.getByRole('table', { name: 'Volumes' });
    this.files = new FilesTable(page);
  }

  async create(name: string): Promise<void> {
    await this.createButton.click();
    await this.dialog.getByRole('textbox', { name: 'Volume name', exact: true }).fill(name);
    await this.dialog.getByRole('button', { name: 'Create', exact: true }).click();
  }

  row(name: string): Locator {
    return this.table.getByRole('row', { name, exact: true });
  }

  rowButton(name: string, button: 'Browse' | 'Delete'): Locator {
    return this.row(name).getByRole('button', { name: button, exact: true });
  }
}
