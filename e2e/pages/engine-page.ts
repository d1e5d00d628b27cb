// Engine view: the "Engine status" region (state, version, socket, DOCKER_HOST line), engine
// control buttons, "Disk usage", and the endpoint switch.
import type { Locator, Page } from 'playwright-core';

export class EnginePage {
  readonly page: Page;
  readonly status: Locator;
  readonly diskUsage: Locator;
  readonly copyDockerHost: Locator;
  readonly endpoint: Locator;
  readonly otherEndpoint: Locator;
  readonly connect: Locator;

  constructor(page: Page) {
    this.page = page;
    this.status = page.getByRole('region', { name: 'Engine status', exact: true });
    this.diskUsage = page.getByRole('region', { name: 'Disk usage', exact: true });
    this.copyDockerHost = page.getByRole('button', { name: 'Copy DOCKER_HOST', exact: true });
    this.endpoint = page.getByRole('combobox', { name: 'Engine endpoint', exact: true });
    this.otherEndpoint = page.getByRole('textbox', { name: 'Other endpoint', exact: true });
    this.connect = page.getByRole('button', { name: 'Connect', exact: true });
  }

  control(action: 'Start engine' | 'Stop engine' | 'Restart engine'): Locator {
    return this.page.getByRole('button', { name: action, exact: true });
  }
}
