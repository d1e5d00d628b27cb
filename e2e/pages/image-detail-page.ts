// Image detail (route /images/<id>, opened by the Images row's History button): heading with the
// image's name, Run, the "Configuration" table (rows named by field), the list "Containers using
// this image" (links named by container name) and the "Layers" table.
import type { Locator, Page } from 'playwright-core';

export type ConfigField = 'Entrypoint' | 'Command' | 'Working directory' | 'User' | 'Environment' | 'Exposed ports' | 'Volumes' | 'Labels';

export class ImageDetailPage {
  readonly page: Page;
  readonly run: Locator;
  readonly layers: Locator;
  readonly config: Locator;
  readonly users: Locator;

  constructor(page: Page) {
    this.page = page;
    this.run = page.getByRole('main').getByRole('button', { name: 'Run', exact: true });
    this.layers = page.getByRole('table', { name: 'Layers', exact: true });
    this.config = page.getByRole('table', { name: 'Configuration', exact: true });
    this.users = page.getByRole('list', { name: 'Containers using this image', exact: true });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  /** The field's value as text (the row minus its header cell). */
  async configValue(field: ConfigField): Promise<string> {
    return (await this.config.getByRole('row', { name: field, exact: true }).getByRole('cell').innerText()).trim();
  }

  /** Each layer row's cells' text: [created by, size, created, layer id]. */
  async layerRows(): Promise<string[][]> {
    const rows = this.layers.locator('tbody').getByRole('row');
    const out: string[][] = [];
    for (const row of await rows.all()) out.push((await row.getByRole('cell').allInnerTexts()).map((t) => t.trim()));
    return out;
  }

  userLink(container: string): Locator {
    return this.users.getByRole('link', { name: container, exact: true });
  }
}
