// A pull's or push's live progress: a `region` "Pull <ref>" / "Push <ref>" with one progressbar
// per layer named by the layer id (README.md), the overall status line, and the error as an alert.
import { memo } from 'react';
import { formatBytes } from '../../components/format.ts';
import { layerValue, transferSummary, type LayerProgress, type TransferProgress } from './transfer-progress.ts';
import { useTransfers } from './transfer-store.ts';

const LayerBar = memo(function LayerBar({ layer }: { layer: LayerProgress }) {
  const value = layerValue(layer);
  const bytes = layer.total !== undefined && !layer.done ? `${formatBytes(layer.current ?? 0)} / ${formatBytes(layer.total)}` : '';
  const percent = value.now === undefined ? 0 : (value.now / value.max) * 100;
  return (
    <li className={`layer${layer.done ? ' done' : ''}`}>
      <span className="layer-id mono">{layer.id}</span>
      <div
        role="progressbar"
        aria-label={layer.id}
        aria-valuemin={0}
        aria-valuemax={value.max}
        aria-valuenow={value.now}
        aria-valuetext={`${layer.status}${bytes ? ` ${bytes}` : ''}`}
        className="layer-bar"
      >
        <div className="layer-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="layer-status">{layer.status}</span>
      <span className="layer-bytes muted">{bytes}</span>
    </li>
  );
});

export function TransferRegion({ transfer }: { transfer: TransferProgress }) {
  const close = useTransfers((state) => state.close);
  const label = `${transfer.kind === 'pull' ? 'Pull' : 'Push'} ${transfer.reference}`;
  return (
    <section aria-label={label} className={`transfer${transfer.error ? ' failed' : ''}`}>
      <header className="transfer-header">
        <strong>{label}</strong>
        <span className="muted">{transferSummary(transfer)}</span>
        <span className="transfer-status">{transfer.error ? 'Failed' : `${transfer.finished ? 'Done. ' : ''}${transfer.status}`}</span>
        {transfer.finished && <button type="button" className="link-button" onClick={() => close(transfer.kind, transfer.reference)}>Close</button>}
        {!transfer.finished && <button type="button" className="link-button" onClick={() => close(transfer.kind, transfer.reference)}>Cancel</button>}
      </header>
      {transfer.error && (
        // The toast says it too; this one stays with the progress it explains.
        <div role="alert" className="transfer-error">
          <span>{transfer.error}</span>
          <button type="button" onClick={() => close(transfer.kind, transfer.reference)}>Dismiss</button>
        </div>
      )}
      {transfer.layers.length > 0 && (
        <ol className="layers">
          {transfer.layers.map((layer) => <LayerBar key={layer.id} layer={layer} />)}
        </ol>
      )}
    </section>
  );
}

export function TransferRegions() {
  const transfers = useTransfers((state) => state.transfers);
  if (transfers.length === 0) return null;
  return <div className="transfers">{transfers.map((t) => <TransferRegion key={`${t.kind}:${t.reference}`} transfer={t} />)}</div>;
}
