// Images (route /images): pull with live per-layer progress, the list, and what can be done with
// an image (run, tag, push, history, delete), plus pruning dangling images.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import type { ImageSummary } from '../../../common/docker-types.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { EmptyState, QueryStatus } from '../../components/empty-state.tsx';
import { formatBytes } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/modal-dialog.tsx';
import { routes } from '../../routes.ts';
import { SEARCH_ATTRIBUTE } from '../../shortcuts.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { deleteImage } from './image-delete.ts';
import { imageName, tagsOf } from './image-names.ts';
import { ImagesTable, type ImageAction } from './images-table.tsx';
import { PullForm } from './pull-form.tsx';
import { RegistryLogins, RegistrySignInDialog } from './registry-sign-in.tsx';
import { RunDialog } from './run-dialog.tsx';
import { TagDialog } from './tag-dialog.tsx';
import { TransferRegions } from './transfer-region.tsx';
import { useTransfers } from './transfer-store.ts';
import './images.css';

type OpenDialog = { kind: 'run' | 'tag' | 'delete'; image: ImageSummary } | { kind: 'prune' } | { kind: 'sign-in' } | null;

function matches(image: ImageSummary, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return !needle || tagsOf(image).some((tag) => tag.toLowerCase().includes(needle)) || image.Id.replace(/^sha256:/, '').startsWith(needle);
}

export function ImagesView() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const images = useQuery({ queryKey: queryKeys.images, queryFn: () => api.listImages() });
  const containers = useQuery({ queryKey: queryKeys.containers, queryFn: () => api.listContainers() });
  const startTransfer = useTransfers((state) => state.start);
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());

  // Engines may report Containers as -1 ("not computed"): count from the containers list instead.
  const inUse = useMemo(() => {
    const counts = new Map<string, number>();
    for (const container of containers.data ?? []) counts.set(container.ImageID, (counts.get(container.ImageID) ?? 0) + 1);
    return counts;
  }, [containers.data]);
  const sorted = useMemo(
    () => (images.data ?? []).filter((image) => matches(image, search)).sort((a, b) => imageName(a).localeCompare(imageName(b))),
    [images.data, search],
  );

  const prune = useMutation({
    mutationFn: () => api.pruneImages(),
    onSuccess: (result) => toastSuccess(
      result.deleted === 0 ? 'No dangling images to remove' : `Removed ${result.deleted} dangling ${result.deleted === 1 ? 'image' : 'images'}`,
      `${formatBytes(result.spaceReclaimed)} reclaimed`,
    ),
    onError: (error) => toastError('Could not prune dangling images', error),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.images }),
  });

  const onAction = useCallback((image: ImageSummary, action: ImageAction) => {
    switch (action) {
      case 'Run': setDialog({ kind: 'run', image }); break;
      case 'Tag': setDialog({ kind: 'tag', image }); break;
      case 'Delete': setDialog({ kind: 'delete', image }); break;
      case 'History': navigate(routes.image(image.Id)); break;
      case 'Push': {
        const reference = tagsOf(image)[0];
        if (reference) startTransfer(api, 'push', reference);
        break;
      }
    }
  }, [api, navigate, startTransfer]);

  const confirmDelete = async (image: ImageSummary) => {
    setDialog(null);
    setBusyIds((previous) => new Set(previous).add(image.Id));
    await deleteImage(api, client, image, false);
    setBusyIds((previous) => {
      const next = new Set(previous);
      next.delete(image.Id);
      return next;
    });
  };

  const empty = images.data !== undefined && images.data.length === 0;
  return (
    <section className="list-view" aria-labelledby="images-heading">
      <header className="view-header">
        <h1 id="images-heading">Images</h1>
        {images.data && <span className="muted">{images.data.length} {images.data.length === 1 ? 'image' : 'images'}, {formatBytes(images.data.reduce((sum, image) => sum + image.Size, 0))}</span>}
        <span className="spacer" />
        <button type="button" onClick={() => setDialog({ kind: 'sign-in' })}>Sign in to a registry</button>
        <button type="button" disabled={prune.isPending} aria-busy={prune.isPending || undefined} onClick={() => setDialog({ kind: 'prune' })}>
          Prune dangling images
        </button>
      </header>
      <PullForm focus={empty} />
      <RegistryLogins />
      <TransferRegions />
      <QueryStatus what="images" isPending={images.isPending} error={images.error} />
      {empty && (
        <EmptyState title="No images yet">
          <p>Pull one with the field above: type a reference such as <code>busybox:latest</code> or <code>nginx:alpine</code> and press Pull.</p>
          <p className="muted">Then press Run next to it to start a container.</p>
        </EmptyState>
      )}
      {images.data && images.data.length > 0 && (
        <>
          <div className="view-toolbar">
            <input type="search" aria-label="Search images" placeholder="Search by tag or ID  ( / )" value={search}
              onChange={(event) => setSearch(event.target.value)} {...{ [SEARCH_ATTRIBUTE]: '' }} />
          </div>
          {sorted.length === 0
            ? <p className="muted">No image matches “{search}”.</p>
            : <div className="table-scroll"><ImagesTable images={sorted} inUse={inUse} busyIds={busyIds} onAction={onAction} /></div>}
        </>
      )}
      {dialog?.kind === 'run' && (
        <RunDialog image={tagsOf(dialog.image)[0] ?? dialog.image.Id} label={imageName(dialog.image)} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'tag' && <TagDialog imageId={dialog.image.Id} label={imageName(dialog.image)} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${imageName(dialog.image)}?`}
          message={tagsOf(dialog.image).length > 1
            ? `The image and all its tags (${tagsOf(dialog.image).join(', ')}) will be removed.`
            : 'The image will be removed from this engine. Layers other images share are kept.'}
          confirmLabel="Delete"
          onCancel={() => setDialog(null)}
          onConfirm={() => void confirmDelete(dialog.image)}
        />
      )}
      {dialog?.kind === 'sign-in' && <RegistrySignInDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === 'prune' && (
        <ConfirmDialog
          title="Prune dangling images?"
          message="Every untagged image that no container uses will be removed."
          confirmLabel="Prune"
          onCancel={() => setDialog(null)}
          onConfirm={() => { setDialog(null); prune.mutate(); }}
        />
      )}
    </section>
  );
}
