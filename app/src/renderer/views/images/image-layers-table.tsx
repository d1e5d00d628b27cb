// The "Layers" table of the image detail: one row per history entry, newest first as the engine
// sends them, with the instruction that made it, its size, its age and its id where the engine
// knows one ("<missing>" for layers that came from a registry or another builder).
import { formatAbsoluteTime, formatBytes, formatRelativeTime, shortId } from '../../components/format.ts';
import type { HistoryRow } from './image-facts.ts';

export function LayersTable({ layers }: { layers: HistoryRow[] }) {
  return (
    <div className="table-scroll">
      <table aria-label="Layers" className="data-table history-table">
        <thead>
          <tr>
            <th scope="col">Created by</th>
            <th scope="col" className="number">Size</th>
            <th scope="col">Created</th>
            <th scope="col">Layer</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((layer, i) => (
            <tr key={i}>
              <td className="mono created-by" title={layer.createdBy || undefined}>
                {layer.instruction || <span className="muted">(no instruction recorded)</span>}
                {layer.comment && <span className="muted"> — {layer.comment}</span>}
              </td>
              <td className="number">{formatBytes(layer.size)}</td>
              <td title={formatAbsoluteTime(layer.created)}>{layer.created > 0 ? formatRelativeTime(layer.created) : <span className="muted">unknown</span>}</td>
              <td className="mono">{layer.layerId ? shortId(layer.layerId) : <span className="muted">&lt;missing&gt;</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
