/**
 * The emulated service's background jobs (import jobs, node jobs): each starts after a delay and
 * runs asynchronously. Tests wait for all of them with `whenSettled`; a reset drops those not started.
 */
export class BackgroundJobs {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting = new Map<NodeJS.Timeout, () => void>();

  /** `onJobFinished` runs after each job's work ends, e.g. to persist the state. */
  constructor(private readonly delayMs: number, private readonly onJobFinished: () => void = () => undefined) {}

  /** Runs `work` after the delay; it must record its own outcome (a rejection is not handled here). */
  schedule(work: () => Promise<void>): void {
    const settled = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(timer);
        void work().then(this.onJobFinished).finally(resolve);
      }, this.delayMs);
      this.waiting.set(timer, resolve);
    });
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
  }

  /** Resolves once no job is waiting or mid-processing. */
  async whenSettled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Drops jobs that have not started yet. */
  cancelWaiting(): void {
    for (const [timer, resolve] of this.waiting) {
      clearTimeout(timer);
      resolve();
    }
    this.waiting.clear();
  }
}
