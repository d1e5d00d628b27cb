// Identical list requests that arrive together share one answer. A client polling the lists (a
// dashboard, several `docker ps` in scripts, the concurrent bench's 300 GETs) otherwise has the
// single event loop build and serialise the same answer once per request, and the requests queue
// behind each other.
//
// Never stale: an answer starts computing on the turn of the event loop after the first request
// that asks for it (setImmediate), and only requests that arrive before it starts join it. So
// every request that shares an answer arrived before that answer was computed: a change made
// before a request came in is in its answer. A request that arrives while an answer is being
// computed (an async one) waits for the next one.

export class Coalescer {
  readonly #waiting = new Map<string, Promise<string>>();

  /** The answer for `key` that has not started yet, or a new one started on the next turn. */
  answer(key: string, compute: () => string | Promise<string>): Promise<string> {
    const waiting = this.#waiting.get(key);
    if (waiting) return waiting;
    const answer = new Promise<string>((resolve, reject) => {
      setImmediate(() => {
        // Started: later requests must not join an answer that may predate them.
        this.#waiting.delete(key);
        try {
          resolve(compute());
        } catch (error) {
          reject(error);
        }
      });
    });
    this.#waiting.set(key, answer);
    return answer;
  }
}

