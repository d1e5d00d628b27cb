// A counting semaphore: at most `count` holders at once, the rest served in arrival order.

export class Semaphore {
  #free: number;
  #waiting: Array<() => void> = [];
  constructor(count: number) {
    this.#free = count;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
