// Networks view: "Create network" dialog (name, subnet, gateway, internal), the "Networks" table
// with a cell listing connected containers and a Delete button per row.
import type { Locator, Page } from 'playwright-core';

export class NetworksPage {
  readonly page: Page;
  readonly createButton: Locator;
  readonly dialog: Locator;
  readonly table: Locator;

  constructor(page: Page) {
    this.page = page;
    this.createButton = page.getByRole('button', { name: 'Create network', exact: true });
    this.dialog = page.getByRole('dialog', { name: 'Create network', exact: true });
    this.table = page.getByRole('table', { name: 'Networks' });
  }

  async create(spec: { name: string; subnet?: string; gateway?: string; internal?: boolean }): Promise<void> {
    await this.createButton.click();
    await this.dialog.getByRole('textbox', { name: 'Network name', exact: true }).fill(spec.name);
    if (spec.subnet) await this.dialog.getByRole('textbox', { name: 'Subnet', exact: true }).fill(spec.subnet);
    if (spec.gateway) await this.dialog.getByRole('textbox', { name: 'Gateway', exact: true }).fill(spec.gateway);
    if (spec.internal) await this.dialog.getByRole('checkbox', { name: 'Internal', exact: true }).check();
    await this.dialog.getByRole('button', { name: 'Create', exact: true }).click();
  }

  row(name: string): Locator {
    return this.table.getByRole('row', { name, exact: true });
  }

  deleteButton(name: string): Locator {
    return this.row(name).getByRole('button', { name: 'Delete', exact: true });
  }
}
