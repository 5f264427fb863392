/** What each part of the bench hands the report: its markdown and its targets' verdicts. */

export interface BenchContext {
  /** A scratch folder removed when the bench ends. */
  readonly tmp: string;
  /** Repetitions per row (rows that cannot afford them say so). */
  readonly runs: number;
  readonly log: (line: string) => void;
}

export interface TargetVerdict {
  readonly target: string;
  readonly met: boolean;
  /** The figures behind the verdict; for a miss also the reason and what would close it. */
  readonly detail: string;
}

export interface SectionReport {
  readonly title: string;
  readonly markdown: string;
  readonly targets: TargetVerdict[];
}
