// Deleting an image as Docker Desktop does: the row's tag when it has one tag (DELETE
// /images/{name}: untag, then delete when nothing else refers to it), the id otherwise. When the
// engine refuses with a conflict (a container uses it, several repositories refer to it), the
// error toast carries its message and offers "Delete anyway" (force).
import type { QueryClient } from '@tanstack/react-query';
import type { DesktopApi, DesktopApiError } from '../../../common/desktop-api.ts';
import type { ImageSummary } from '../../../common/docker-types.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { imageName, tagsOf } from './image-names.ts';

export function deleteTarget(image: ImageSummary): string {
  const tags = tagsOf(image);
  return tags.length === 1 ? tags[0] : image.Id;
}

export async function deleteImage(api: DesktopApi, client: QueryClient, image: ImageSummary, force: boolean): Promise<void> {
  const name = imageName(image);
  try {
    const result = await api.removeImage(deleteTarget(image), { force });
    toastSuccess(`Deleted ${name}`, result.deleted.length > 0 ? `${result.deleted.length} ${result.deleted.length === 1 ? 'layer' : 'layers'} removed` : undefined);
  } catch (error) {
    const conflict = (error as DesktopApiError).status === 409;
    toastError(`Could not delete ${name}`, error, conflict && !force
      ? { label: 'Delete anyway', run: () => void deleteImage(api, client, image, true) }
      : undefined);
  } finally {
    void client.invalidateQueries({ queryKey: queryKeys.images });
  }
}
