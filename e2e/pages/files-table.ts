// The "Files" table shared by container detail (Files tab) and volume browsing: rows named by file
// name, links for directories, "Download <name>" buttons on files, "Path" breadcrumbs.
import type { Download, Locator, Page } from 'playwright-core';

export class FilesTable {
  readonly page: Page;
  readonly table: Locator;
  readonly breadcrumbs: Locator;

  constructor(page: Page, scope: Page | Locator = page) {
    this.page = page;
    this.table = scope.getByRole('table', { name: 'Files' });
    this.breadcrumbs = scope.getByRole('navigation', { name: 'Path' });
  }

  row(name: string): Locator {
    return this.table.getByRole('row', { name, exact: true });
  }

  async openDirectory(name: string): Promise<void> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
  }

  async download(name: string): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.table.getByRole('button', { name: `Download ${name}`, exact: true }).click(),
    ]);
    return download;
  }
}
