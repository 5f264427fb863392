/**
 * A run of some sections only (BENCH_ONLY) updates BENCHMARKS.md in place: each section it ran
 * replaces the section of the same number (or is added in order), its targets replace the rows of
 * the same prefix (`Application: …`), and a line in the header says what was re-run, when and on
 * which commit. Everything else stays as the last whole run wrote it.
 */
import { SectionReport } from './section';

const SECTION_HEADING = /^## (\d+)([a-z]?)\. /;

function sectionKey(title: string): [number, string] | undefined {
  const match = SECTION_HEADING.exec(`## ${title}`);
  return match ? [Number(match[1]), match[2]] : undefined;
}

function compareKeys(a: [number, string], b: [number, string]): number {
  return a[0] - b[0] || a[1].localeCompare(b[1]);
}

/** A target's prefix: its words before the first colon ("Synth scaling", "Application"). */
function targetPrefix(target: string): string {
  return target.split(':')[0].trim();
}

function targetRow(target: { target: string; met: boolean; detail: string }): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return `| ${cell(target.target)} | ${target.met ? 'met' : '**missed**'} | ${cell(target.detail)} |`;
}

/**
 * The existing document with `reports` merged in.
 * @param note the header line that says what was re-run (without its leading "- ")
 */
export function mergeReport(existing: string, reports: readonly SectionReport[], note: string): string {
  const lines = existing.split('\n');
  const targetsAt = lines.indexOf('## Targets');
  const firstSection = lines.findIndex((l, i) => i > targetsAt && SECTION_HEADING.test(l));
  if (targetsAt < 0 || firstSection < 0) throw new Error('BENCHMARKS.md is not in the shape benchmarks/run.ts writes: run the whole bench');

  // The header, with the note replacing an earlier note about the same sections.
  const header = lines.slice(0, targetsAt);
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  const noteKey = note.split(':')[0];
  const kept = header.filter((l) => !l.startsWith(`- ${noteKey}:`));

  // Targets: the rows of the re-run sections' prefixes are replaced where the first of them was.
  const targetLines = lines.slice(targetsAt + 1, firstSection).filter((l) => l.startsWith('|'));
  const [heading, rule, ...rows] = targetLines;
  const newTargets = reports.flatMap((r) => r.targets);
  const prefixes = new Set(newTargets.map((t) => targetPrefix(t.target)));
  const replacedAt = rows.findIndex((row) => prefixes.has(targetPrefix(row.slice(2))));
  const remaining = rows.filter((row) => !prefixes.has(targetPrefix(row.slice(2))));
  const insertAt = replacedAt < 0 ? remaining.length : replacedAt;
  remaining.splice(insertAt, 0, ...newTargets.map(targetRow));

  // Sections by number: replaced in place, or inserted in order.
  const sections: Array<{ key: [number, string]; text: string }> = [];
  let current: string[] = [];
  for (const line of lines.slice(firstSection)) {
    if (SECTION_HEADING.test(line) && current.length > 0) {
      sections.push({ key: sectionKey(current[0].slice(3))!, text: current.join('\n').trimEnd() });
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) sections.push({ key: sectionKey(current[0].slice(3))!, text: current.join('\n').trimEnd() });
  for (const report of reports) {
    const key = sectionKey(report.title);
    if (!key) throw new Error(`a section title must start with its number: ${report.title}`);
    const text = `## ${report.title}\n\n${report.markdown}`;
    const at = sections.findIndex((s) => compareKeys(s.key, key) === 0);
    if (at >= 0) {
      sections[at] = { key, text };
    } else {
      const before = sections.findIndex((s) => compareKeys(s.key, key) > 0);
      sections.splice(before < 0 ? sections.length : before, 0, { key, text });
    }
  }

  return [
    ...kept,
    `- ${note}`,
    '',
    '## Targets',
    '',
    heading,
    rule,
    ...remaining,
    '',
    ...sections.flatMap((s) => [s.text, '']),
  ].join('\n');
}
