// Files tab: the container's file system through the shared FileBrowser; files download with their
// own name.
import { useDesktopApi } from '../../api/api-context.tsx';
import { FileBrowser } from '../../components/file-browser/file-browser.tsx';

export function FilesTab({ id }: { id: string }) {
  const api = useDesktopApi();
  return (
    <FileBrowser
      queryKeyPrefix={['containers', id, 'files']}
      load={(path) => api.listContainerFiles(id, path)}
      download={(path) => api.readContainerFile(id, path)}
    />
  );
}
