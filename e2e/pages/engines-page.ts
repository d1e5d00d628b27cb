// Engines view: the "Engines" table (rows named by the engine's label, a "Use <label>" button on
// every engine but the current one), the "Add engine" form (with its TLS fields: PEM text pasted
// into "TLS ca", "TLS cert", "TLS key"), and the sidebar's current-engine link.
import type { Locator, Page } from 'playwright-core';

export class EnginesPage {
  readonly page: Page;
  readonly table: Locator;
  readonly name: Locator;
  readonly url: Locator;
  readonly saveAsContext: Locator;
  readonly add: Locator;
  /** "TLS (tcp://)": shows the PEM fields. */
  readonly tls: Locator;
  /** The sidebar link "Engines (current: <label>)". */
  readonly sidebarLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.table = page.getByRole('table', { name: 'Engines', exact: true });
    this.name = page.getByRole('textbox', { name: 'Engine name', exact: true });
    this.url = page.getByRole('textbox', { name: 'Engine endpoint URL', exact: true });
    this.saveAsContext = page.getByRole('checkbox', { name: 'Save as docker context', exact: true });
    this.add = page.getByRole('button', { name: 'Add engine', exact: true });
    this.tls = page.getByRole('checkbox', { name: 'TLS (tcp://)', exact: true });
    this.sidebarLink = page.getByRole('complementary').getByRole('link', { name: /^Engines \(current: / });
  }

  async open(): Promise<void> {
    await this.sidebarLink.click();
    await this.table.waitFor({ state: 'visible' });
  }

  /** One of the TLS PEM fields (visible once `tls` is checked). */
  pem(file: 'ca' | 'cert' | 'key'): Locator {
    return this.page.getByRole('textbox', { name: `TLS ${file}`, exact: true });
  }

  row(label: string): Locator {
    return this.table.getByRole('row', { name: label, exact: true });
  }

  use(label: string): Locator {
    return this.row(label).getByRole('button', { name: `Use ${label}`, exact: true });
  }
}
