/**
 * The onEvent handler alone in a fresh, bare Node process: requires the shipped bundle and, given
 * an event, runs it (Create: stage the files server-side, start the import job). Its peak RSS is
 * then the handler's own. Arguments: the bundle, and the event as JSON (absent: require only).
 */
import { reportResult } from '../lib/child';

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(process.argv[2]) as { handler: (event: unknown) => Promise<unknown> };
  const event = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
  const started = process.hrtime.bigint();
  if (event) await handler(event);
  reportResult({ handlerMs: Number(process.hrtime.bigint() - started) / 1e6 });
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
