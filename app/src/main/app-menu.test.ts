import { describe, expect, test } from 'vitest';
import { routes } from '../renderer/routes.ts';
import { buildAppMenu, withClicks, type AppMenuItem } from './app-menu.ts';
import { buildTrayMenu, type TrayAction } from './tray-menu.ts';

const labels = (items: readonly AppMenuItem[]) => items.map((i) => i.label ?? i.role ?? i.type);
const menu = (items: readonly AppMenuItem[], label: string) => items.find((i) => i.label === label)!.submenu!;

describe('application menu', () => {
  test('Linux and Windows: File, Edit, View, Window; the views open the renderer routes with the renderer shortcuts', () => {
    const items = buildAppMenu('linux', { hostTerminal: true, devTools: false });
    expect(labels(items)).toEqual(['&File', '&Edit', '&View', '&Window']);
    expect(labels(menu(items, '&File'))).toEqual(['Settings', 'separator', 'Close Window', 'Quit Berth']);
    expect(menu(items, '&File').find((i) => i.label === 'Quit Berth')!.action).toEqual({ kind: 'quit' });
    const views = menu(items, '&View').filter((i) => i.action);
    // Same order and digits as the renderer's own shortcuts (renderer/shortcuts.ts), so menu and keyboard agree.
    const order = [['Containers', routes.containers], ['Images', routes.images], ['Volumes', routes.volumes], ['Networks', routes.networks], ['Engine', routes.engine], ['Terminal', routes.hostTerminal]];
    expect(views.map((v) => [v.label, v.accelerator, (v.action as { route: string }).route]))
      .toEqual(order.map(([label, href], i) => [label, `CmdOrCtrl+${i + 1}`, `#${href}`]));
    expect(menu(items, '&View').some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  test('macOS: the app menu holds About, Settings and Quit; no Terminal without a host shell', () => {
    const items = buildAppMenu('darwin', { hostTerminal: false, devTools: true });
    expect(labels(items)).toEqual(['Berth', '&File', '&Edit', '&View', '&Window']);
    expect(labels(menu(items, 'Berth'))).toContain('Settings…');
    expect(labels(menu(items, '&File'))).toEqual(['Close Window']);
    expect(labels(menu(items, '&View'))).not.toContain('Terminal');
    expect(menu(items, '&View').some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  test('withClicks turns actions into click handlers, nested menus included (the tray uses it too)', () => {
    const ran: TrayAction[] = [];
    const tray = withClicks(buildTrayMenu({ status: undefined, containers: [] }), (a) => ran.push(a));
    const quit = tray.find((i) => i.label === 'Quit Berth')!;
    (quit.click as () => void)();
    expect(ran).toEqual([{ kind: 'quit' }]);
    expect('action' in quit).toBe(false);
    const edit = withClicks(buildAppMenu('linux', { hostTerminal: true, devTools: false }), () => {}).find((i) => i.label === '&Edit')!;
    expect((edit.submenu as { role?: string }[]).map((i) => i.role)).toContain('paste');
  });
});
