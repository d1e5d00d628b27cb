// Engine view: the "Engine status" region (state, version, socket, DOCKER_HOST line), engine
// control buttons ("… VM" and "Reset VM…" when the engine is the Berth VM), the "Virtual machine"
// region, "Disk usage", and the endpoint switch; and the sidebar's engine line.
import type { Locator, Page } from 'playwright-core';

export class EnginePage {
  readonly page: Page;
  readonly status: Locator;
  readonly diskUsage: Locator;
  readonly copyDockerHost: Locator;
  readonly endpoint: Locator;
  readonly otherEndpoint: Locator;
  readonly connect: Locator;
  readonly vm: Locator;
  readonly sidebar: Locator;

  constructor(page: Page) {
    this.page = page;
    this.status = page.getByRole('region', { name: 'Engine status', exact: true });
    this.diskUsage = page.getByRole('region', { name: 'Disk usage', exact: true });
    this.copyDockerHost = page.getByRole('button', { name: 'Copy DOCKER_HOST', exact: true });
    this.endpoint = page.getByRole('combobox', { name: 'Engine endpoint', exact: true });
    this.otherEndpoint = page.getByRole('textbox', { name: 'Other endpoint', exact: true });
    this.connect = page.getByRole('button', { name: 'Connect', exact: true });
    this.vm = page.getByRole('region', { name: 'Virtual machine', exact: true });
    this.sidebar = page.getByRole('complementary');
  }

  /** "Reset VM…" opens the confirmation `dialog` "Reset the Berth VM?" with Cancel and "Reset VM". */
  resetDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Reset the Berth VM?', exact: true });
  }

  control(action: 'Start engine' | 'Stop engine' | 'Restart engine' | 'Start VM' | 'Stop VM' | 'Restart VM' | 'Reset VM…'): Locator {
    return this.page.getByRole('button', { name: action, exact: true });
  }
}
