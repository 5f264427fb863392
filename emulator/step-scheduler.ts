/**
 * Timed steps of the emulated service's own work (an application instance moving from one status
 * to the next, a device completing its setup), one pending step per subject: scheduling a new one
 * replaces the subject's pending one. Tests wait for all of them with `whenSettled`.
 */

interface PendingStep {
  readonly timer: NodeJS.Timeout;
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

/** Runs one step per subject after a delay; a step may schedule the subject's next one. */
export class StepScheduler {
  private readonly pending = new Map<string, PendingStep>();

  /** `onStep` runs after each step (e.g. to persist the state); errors in a step are the step's to handle. */
  constructor(private readonly onStep: () => void = () => undefined) {}

  /** Runs `step` for `subject` after `delayMs`, replacing the subject's pending step if any. */
  schedule(subject: string, delayMs: number, step: () => void): void {
    this.cancel(subject);
    let resolve!: () => void;
    const done = new Promise<void>((r) => { resolve = r; });
    const timer = setTimeout(() => {
      // Removed first, so that a step that schedules the next one registers it anew.
      this.pending.delete(subject);
      try {
        step();
        this.onStep();
      } finally {
        resolve();
      }
    }, delayMs);
    this.pending.set(subject, { timer, done, resolve });
  }

  /** Drops the subject's pending step, if any. */
  cancel(subject: string): void {
    const step = this.pending.get(subject);
    if (!step) return;
    clearTimeout(step.timer);
    this.pending.delete(subject);
    step.resolve();
  }

  /** Resolves once no step is pending (steps that schedule further steps are waited for too). */
  async whenSettled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()].map((step) => step.done));
  }

  /** Drops every pending step. */
  cancelAll(): void {
    for (const subject of [...this.pending.keys()]) this.cancel(subject);
  }
}
