/**
 * One JSON line per step. Callers pass the fields worth reading; the event itself is never logged,
 * because it carries the pre-signed ResponseURL.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

const FORBIDDEN_KEYS = /responseurl|secret|token|credential|signature|password/i;

/** Writes `{"step": …, …fields}` as one line on stdout. */
export function logStep(step: string, fields: LogFields = {}): void {
  const safe: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    // Belt and braces: a field whose name smells of a secret never reaches the log.
    if (!FORBIDDEN_KEYS.test(key)) safe[key] = value;
  }
  console.log(JSON.stringify({ step, ...safe }));
}
