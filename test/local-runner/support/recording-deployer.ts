/**
 * The LocalDeployer the runner's own tests drive: the given S3 (a template is a file asset, so the
 * runner always needs one), a Panorama endpoint nothing answers on (these tests never call it), no
 * log lines, and every stack event kept for the test to read.
 */
import { LocalDeployer, LocalDeployerOptions, StackEvent } from '../../../local-runner';

/** A port nothing listens on: a call to Panorama would fail at once. */
const NO_PANORAMA = 'http://127.0.0.1:9';

/** A quiet runner over `s3Endpoint` whose stack events are kept; `options` adds to or overrides its settings. */
export function recordingDeployer(
  s3Endpoint: string, options: Partial<LocalDeployerOptions> = {},
): { runner: LocalDeployer; events: StackEvent[] } {
  const events: StackEvent[] = [];
  const runner = new LocalDeployer({
    panoramaEndpoint: NO_PANORAMA,
    s3Endpoint,
    logger: () => undefined,
    handlerLog: () => undefined,
    events: (event) => events.push(event),
    ...options,
  });
  return { runner, events };
}
