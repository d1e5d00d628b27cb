// The "Images" table (README.md): a row per image named by its first repo:tag (or short id),
// with every tag, id, size, age, how many containers use it, and Run / Tag / Push / History /
// Delete.
import { memo } from 'react';
import type { ImageSummary } from '../../../common/docker-types.ts';
import { formatAbsoluteTime, formatBytes, formatRelativeTime, shortId } from '../../components/format.ts';
import { imageName, tagsOf } from './image-names.ts';

export type ImageAction = 'Run' | 'Tag' | 'Push' | 'History' | 'Delete';

interface ImageRowProps {
  image: ImageSummary;
  inUse: number;
  busy: boolean;
  onAction(image: ImageSummary, action: ImageAction): void;
}

const ImageRow = memo(function ImageRow({ image, inUse, busy, onAction }: ImageRowProps) {
  const name = imageName(image);
  const tags = tagsOf(image);
  return (
    <tr aria-label={name}>
      <td className="image-name">
        <span className={tags.length === 0 ? 'muted' : 'strong'}>{tags.length === 0 ? '<none>' : tags[0]}</span>
        {tags.slice(1).map((tag) => <span key={tag} className="chip">{tag}</span>)}
      </td>
      <td className="mono">{shortId(image.Id)}</td>
      <td className="number">{formatBytes(image.Size)}</td>
      <td title={formatAbsoluteTime(image.Created)}>{formatRelativeTime(image.Created)}</td>
      <td>{inUse > 0 ? <span className="in-use">In use ({inUse})</span> : <span className="muted">Unused</span>}</td>
      <td>
        <div className="row-actions">
          <button type="button" onClick={() => onAction(image, 'Run')}>Run</button>
          <button type="button" onClick={() => onAction(image, 'Tag')}>Tag</button>
          <button type="button" disabled={tags.length === 0} title={tags.length === 0 ? 'Tag the image first: a push needs a repository' : undefined}
            onClick={() => onAction(image, 'Push')}>Push</button>
          <button type="button" onClick={() => onAction(image, 'History')}>History</button>
          <button type="button" className="danger-outline" disabled={busy} aria-busy={busy || undefined} onClick={() => onAction(image, 'Delete')}>Delete</button>
        </div>
      </td>
    </tr>
  );
});

export function ImagesTable(props: { images: ImageSummary[]; inUse: Map<string, number>; busyIds: ReadonlySet<string>; onAction: ImageRowProps['onAction'] }) {
  return (
    <table aria-label="Images" className="data-table images-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">ID</th>
          <th scope="col" className="number">Size</th>
          <th scope="col">Created</th>
          <th scope="col">Status</th>
          <th scope="col"><span className="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {props.images.map((image) => (
          <ImageRow key={image.Id} image={image} inUse={props.inUse.get(image.Id) ?? 0} busy={props.busyIds.has(image.Id)} onAction={props.onAction} />
        ))}
      </tbody>
    </table>
  );
}
