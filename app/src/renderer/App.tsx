import type { DesktopApi } from '../common/desktop-api.ts';
export function App({ api }: { api: DesktopApi }) {
  return <h1>Berth {typeof api}</h1>;
}
