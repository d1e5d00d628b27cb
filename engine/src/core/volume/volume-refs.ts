// Which containers use which volume. Two instances serve two questions: "referenced" (any
// container whose Mounts name the volume, started or not: blocks `volume rm`, decides dangling)
// and "active" (containers running with it mounted: the last one out unmounts tmpfs/bind-backed
// volumes, as dockerd's local driver counts Mount/Unmount calls).
export class VolumeRefs {
  readonly #users = new Map<string, Set<string>>();

  add(volume: string, containerId: string): void {
    let set = this.#users.get(volume);
    if (!set) this.#users.set(volume, (set = new Set()));
    set.add(containerId);
  }

  /** Drops one container's use of one volume; true when nobody uses the volume any more. */
  remove(volume: string, containerId: string): boolean {
    const set = this.#users.get(volume);
    if (!set) return true;
    set.delete(containerId);
    if (set.size > 0) return false;
    this.#users.delete(volume);
    return true;
  }

  /** Drops every use by one container; returns the volumes it used. */
  removeContainer(containerId: string): string[] {
    const released: string[] = [];
    for (const [volume, set] of this.#users) {
      if (!set.delete(containerId)) continue;
      released.push(volume);
      if (set.size === 0) this.#users.delete(volume);
    }
    return released;
  }

  /** Container IDs using the volume, in the order they started using it. */
  users(volume: string): string[] {
    return [...(this.#users.get(volume) ?? [])];
  }

  inUse(volume: string): boolean {
    return (this.#users.get(volume)?.size ?? 0) > 0;
  }

  /** Forgets a volume entirely (it was removed). */
  forget(volume: string): void {
    this.#users.delete(volume);
  }
}
