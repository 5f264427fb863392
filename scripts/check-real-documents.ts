/**
 * Judges the project's schemas on the real Panorama documents AWS published (the reference corpus
 * beside the repository, `../shared/real-panorama/` by default): every package manifest, asset
 * descriptor, graph.json and override.json, against the verdict recorded for it in sources.json.
 *
 *   npx ts-node scripts/check-real-documents.ts [corpus folder]
 *
 * Not a test: the corpus is reference data outside the repository, and the tests pass without it.
 * Packages are judged with the rules on top of the schema too (an undeclared interface asset is an
 * unbuilt package); graphs by their schema only, since how nodes, packages and edges refer to each
 * other is the application construct's to check. Exits non-zero on any disagreement.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkManifest } from '../src/rules/manifest';
import { checkAssetDescriptorDocument, checkNodeGraphDocument, checkNodeGraphOverridesDocument } from '../src/rules/schema';
import { ValidationProblem } from '../src/rules/validation';

interface Source {
  readonly file: string;
  readonly kind: 'package' | 'descriptor' | 'graph' | 'override';
  readonly path: string;
  readonly expected: 'accept' | 'refuse';
  readonly why?: string;
}

const CHECKS: Record<Source['kind'], (document: unknown, source: string) => ValidationProblem[]> = {
  package: (document, source) => checkManifest(document, source).problems,
  descriptor: checkAssetDescriptorDocument,
  graph: checkNodeGraphDocument,
  override: checkNodeGraphOverridesDocument,
};

/** A graph refused for what is not a schema rule (an edge to a missing node) is not this schema's to refuse. */
function expectedOfSchema(source: Source): 'accept' | 'refuse' {
  return source.kind === 'graph' && source.expected === 'refuse' && !source.why?.startsWith('/') ? 'accept' : source.expected;
}

function main(): void {
  const corpus = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'real-panorama'));
  const sources = JSON.parse(fs.readFileSync(path.join(corpus, 'sources.json'), 'utf-8')) as Source[];
  const tally = new Map<string, { right: number; total: number }>();
  const wrong: string[] = [];
  for (const source of sources) {
    const document = JSON.parse(fs.readFileSync(path.join(corpus, 'files', source.file), 'utf-8'));
    const problems = CHECKS[source.kind](document, source.file);
    const verdict = problems.length === 0 ? 'accept' : 'refuse';
    const expected = expectedOfSchema(source);
    const count = tally.get(source.kind) ?? { right: 0, total: 0 };
    tally.set(source.kind, { right: count.right + (verdict === expected ? 1 : 0), total: count.total + 1 });
    if (verdict !== expected) {
      wrong.push(`${source.kind} ${source.path} (${source.file}): ${verdict}ed, expected ${expected}${problems.length > 0 ? `\n    ${problems[0]}` : ''}`);
    }
  }
  for (const line of wrong) console.log(line);
  for (const [kind, { right, total }] of tally) console.log(`${kind}: ${right}/${total} as expected`);
  const right = [...tally.values()].reduce((n, t) => n + t.right, 0);
  console.log(`${right}/${sources.length} real documents judged as expected by the project's schemas (${wrong.length} wrong)`);
  process.exit(wrong.length === 0 ? 0 : 1);
}

main();
