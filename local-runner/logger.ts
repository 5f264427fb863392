/** Where progress lines go: one line per step. */
export type Logger = (line: string) => void;

/** Writes to stdout directly: console may be captured while handlers run. */
export const stdoutLogger: Logger = (line) => {
  process.stdout.write(`${line}\n`);
};
