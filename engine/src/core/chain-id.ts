// Chain IDs name a stack of layers by content (OCI image spec, config.md "Layer ChainID"):
// ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)).
import { createHash } from 'node:crypto';

export function chainIdOf(parentChainId: string | undefined, diffId: string): string {
  if (parentChainId === undefined) return diffId;
  return 'sha256:' + createHash('sha256').update(`${parentChainId} ${diffId}`).digest('hex');
}

/** Chain IDs of every prefix of `diffIds`: result[i] names layers 0..i. */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  let parent: string | undefined;
  for (const diffId of diffIds) {
    parent = chainIdOf(parent, diffId);
    out.push(parent);
  }
  return out;
}
