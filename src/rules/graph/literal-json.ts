/**
 * JSON text in which the text of a project's files stays text. CDK reads `${Token[…]}` in any string
 * of a template as a reference to resolve, so a graph.json value `region=${Token[AWS.Region.8]}`
 * would deploy as the stack's region, and one matching no token would fail synth with no file
 * named. A project's files are data: here every `${` and `#{` in their text is written as the JSON
 * escape `\u0024{` / `\u0023{`, which the service reads back as the very same characters, and which
 * no CDK token marker matches. Only the strings the library put in (the account and patch tokens
 * that pin the packages) are left as they are, to be resolved.
 *
 * Pure: no file system and no aws-cdk-lib.
 */

/** Writes the text of a file's string (a key or a value) so that no token marker appears in it. */
function literalString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '\\u0024{').replace(/#\{/g, '\\u0023{');
}

/**
 * Compact JSON of `value` (as JSON.stringify writes it), where every string that is also in
 * `original` at the same place (the file's own text) is written literally, and every other string
 * (one the library put in, such as a pinned patch version) is left to CDK's token resolution.
 * @param original the document as read from the file; `value` is a copy with some strings replaced
 */
export function literalJson(value: unknown, original: unknown = value): string {
  return render(value, original);
}

/** `original` undefined means the library put the value in: none of it is the file's text. */
function render(value: unknown, original: unknown): string {
  if (typeof value === 'string') return value === original ? literalString(value) : JSON.stringify(value);
  if (Array.isArray(value)) {
    const from = Array.isArray(original) ? original : [];
    return `[${value.map((item, i) => (item === undefined ? 'null' : render(item, from[i]))).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const from = (typeof original === 'object' && original !== null ? original : {}) as Record<string, unknown>;
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${literalString(key)}:${render(item, from[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
