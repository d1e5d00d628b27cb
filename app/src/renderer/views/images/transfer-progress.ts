// Folds the JSON messages of a pull or push (POST /images/create, POST /images/{name}/push) into
// what the progress region shows: one entry per layer in order of first appearance, with its
// status and byte counts, plus the overall status line and the error, if any.
import type { ProgressMessage } from '../../../common/docker-types.ts';

export interface LayerProgress {
  id: string;
  status: string;
  current?: number;
  total?: number;
  done: boolean;
}

export interface TransferProgress {
  kind: 'pull' | 'push';
  reference: string;
  layers: LayerProgress[];
  /** The last message without a layer: "Digest: …", "Status: Downloaded newer image for …". */
  status: string;
  error?: string;
  finished: boolean;
}

/** Layer statuses that mean the layer needs nothing more. */
const LAYER_DONE = /^(Pull complete|Already exists|Pushed|Layer already exists|Mounted from)/;

/** Messages that carry an id but speak for the whole transfer (the id is a tag or repository). */
const OVERALL_WITH_ID = /^(Pulling from|The push refers to|Pulling repository|Digest:|Status:)/;

export function newTransfer(kind: 'pull' | 'push', reference: string): TransferProgress {
  return { kind, reference, layers: [], status: kind === 'pull' ? 'Starting pull…' : 'Starting push…', finished: false };
}

export function applyProgress(state: TransferProgress, message: ProgressMessage): TransferProgress {
  const error = message.errorDetail?.message ?? message.error;
  if (error) return { ...state, error, finished: true };
  const status = message.status ?? '';
  if (!message.id || OVERALL_WITH_ID.test(status)) {
    if (!status) return state;
    // As the docker CLI prints it: "latest: Pulling from library/busybox".
    return { ...state, status: message.id ? `${message.id}: ${status}` : status };
  }
  const index = state.layers.findIndex((layer) => layer.id === message.id);
  const previous = index >= 0 ? state.layers[index] : undefined;
  const detail = message.progressDetail;
  const hasBytes = detail?.total !== undefined && detail.total > 0;
  const done = LAYER_DONE.test(status);
  const layer: LayerProgress = {
    id: message.id,
    status,
    // Keep the last byte counts through statuses that carry none ("Verifying Checksum").
    current: hasBytes ? detail!.current ?? 0 : previous?.current,
    total: hasBytes ? detail!.total : previous?.total,
    done,
  };
  const layers = index >= 0 ? state.layers.with(index, layer) : [...state.layers, layer];
  return { ...state, layers };
}

export function finishTransfer(state: TransferProgress): TransferProgress {
  return { ...state, finished: true };
}

/** What the layer's progressbar says: a fraction when bytes are known, full when done. */
export function layerValue(layer: LayerProgress): { now?: number; max: number } {
  if (layer.done) return { now: layer.total ?? 1, max: layer.total ?? 1 };
  if (layer.total !== undefined) return { now: Math.min(layer.current ?? 0, layer.total), max: layer.total };
  // Waiting, Pulling fs layer, Preparing: nothing moved yet.
  return { now: 0, max: 1 };
}

export function transferSummary(state: TransferProgress): string {
  const done = state.layers.filter((layer) => layer.done).length;
  return state.layers.length > 0 ? `${done} of ${state.layers.length} layers done` : '';
}
