/**
 * Cold start of a handler bundle: the time this fresh process takes to `require` it, i.e. what a
 * Lambda cold start adds for the code itself (init of the runtime excluded). Argument: the bundle.
 */
import { reportResult } from '../lib/child';

const bundle = process.argv[2];
const started = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(bundle);
const requireMs = Number(process.hrtime.bigint() - started) / 1e6;
reportResult({ requireMs, rssAfterRequireBytes: process.memoryUsage().rss });
