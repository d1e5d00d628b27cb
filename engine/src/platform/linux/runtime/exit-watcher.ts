// Notices container exits from conmon's --exit-dir: conmon writes <exitDir>/<cid> (a temp file
// renamed into place, glib g_file_set_contents) after the process ended and its output was
// drained. One inotify watch on the directory serves every container; a slow poll covers a watch
// that failed or missed an event, and a check at registration covers exits that happened while no
// engine was running.
import { watch, type FSWatcher } from 'node:fs';
import type { ExitInfo } from '../../../core/interfaces.ts';

export type ExitReader = (id: string) => Promise<ExitInfo | undefined>;

const POLL_MS = 1000;

export class ExitWatcher {
  private readonly dir: string;
  private readonly read: ExitReader;
  private readonly lost: ExitReader | undefined;
  private readonly listeners = new Map<string, Set<(exit: ExitInfo) => void>>();
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;

  /** `lost` is asked on the slow poll only: an exit the monitor can no longer record. */
  constructor(dir: string, read: ExitReader, lost?: ExitReader) {
    this.dir = dir;
    this.read = read;
    this.lost = lost;
  }

  /** Calls `listener` exactly once when `id` has an exit record; returns an unsubscribe. */
  watch(id: string, listener: (exit: ExitInfo) => void): () => void {
    let fired = false;
    const once = (exit: ExitInfo) => {
      if (fired) return;
      fired = true;
      unsubscribe();
      listener(exit);
    };
    let set = this.listeners.get(id);
    if (!set) {
      set = new Set();
      this.listeners.set(id, set);
    }
    set.add(once);
    const unsubscribe = () => {
      const current = this.listeners.get(id);
      current?.delete(once);
      if (current && current.size === 0) this.listeners.delete(id);
      this.idleCheck();
    };
    this.ensureRunning();
    // The watch is armed before this check, so an exit is seen either here or by the watch.
    void this.check(id);
    return unsubscribe;
  }

  /** Stops watching (engine shutdown); listeners are dropped. */
  close(): void {
    this.listeners.clear();
    this.idleCheck();
  }

  private ensureRunning(): void {
    if (!this.watcher) {
      try {
        this.watcher = watch(this.dir, (_event, name) => {
          if (name && this.listeners.has(String(name))) void this.check(String(name));
        });
        this.watcher.on('error', () => {
          // The poll keeps working; drop the broken watch so the next watch() re-arms it.
          this.watcher?.close();
          this.watcher = undefined;
        });
      } catch {
        this.watcher = undefined;
      }
    }
    if (!this.poller) {
      this.poller = setInterval(() => {
        for (const id of this.listeners.keys()) void this.check(id, true);
      }, POLL_MS);
      // The inotify watch keeps the process alive while someone waits; the fallback need not.
      this.poller.unref();
    }
  }

  private idleCheck(): void {
    if (this.listeners.size > 0) return;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
  }

  private async check(id: string, polling = false): Promise<void> {
    if (!this.listeners.has(id)) return;
    const exit = (await this.read(id)) ?? (polling && this.lost ? await this.lost(id).catch(() => undefined) : undefined);
    if (!exit) return;
    for (const listener of [...(this.listeners.get(id) ?? [])]) listener(exit);
  }
}
