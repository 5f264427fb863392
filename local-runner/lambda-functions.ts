/**
 * Emulated Lambda: a function's code is copied out of the assembly into a content-addressed store
 * when it is deployed (so Delete works after the assembly is gone), and invoked in-process with
 * a JSON payload, as Lambda would, bounded by the function's timeout.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** What invoking a deployed function needs. */
export interface DeployedFunction {
  readonly arn: string;
  readonly name: string;
  /** `file.export`, as in the template's Handler property. */
  readonly handler: string;
  /** Undefined when the code was not an asset of the assembly (the function cannot be invoked). */
  readonly codeDirectory?: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
}

/** Copies an asset directory into the store once; returns the copy. */
export function installCode(sourceDirectory: string, storeDirectory: string, assetId: string): string {
  const target = path.join(storeDirectory, assetId);
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(storeDirectory, { recursive: true });
  // Copy then rename: two runners installing the same asset at once both end with a whole copy.
  const temporary = fs.mkdtempSync(path.join(storeDirectory, `.${assetId.slice(0, 16)}-`));
  fs.cpSync(sourceDirectory, temporary, { recursive: true });
  try {
    fs.renameSync(temporary, target);
  } catch (e) {
    fs.rmSync(temporary, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw e;
  }
  return target;
}

/** Thrown when the function itself failed (Lambda's FunctionError). */
export class FunctionError extends Error {
  constructor(readonly functionName: string, message: string) {
    super(message);
    this.name = 'FunctionError';
  }
}

/** Invokes the function with a JSON copy of the payload and returns a JSON copy of its result. */
export async function invokeFunction(fn: DeployedFunction, payload: unknown): Promise<any> {
  if (!fn.codeDirectory) throw new Error(`Function ${fn.name} has no code the local runner can load (not an asset of the assembly)`);
  // Lambda maps stack traces through the bundle's source map when NODE_OPTIONS asks it to.
  if (/(^|\s)--enable-source-maps(\s|$)/.test(fn.environment.NODE_OPTIONS ?? '')) process.setSourceMapsEnabled(true);
  const dot = fn.handler.lastIndexOf('.');
  const modulePath = path.join(fn.codeDirectory, fn.handler.slice(0, dot));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(modulePath) as Record<string, unknown>;
  const handler = loaded[fn.handler.slice(dot + 1)];
  if (typeof handler !== 'function') throw new Error(`Function ${fn.name}: ${fn.handler} exports no handler function`);

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionError(fn.name, `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`)), fn.timeoutSeconds * 1000);
  });
  try {
    const result = await Promise.race([Promise.resolve(handler(JSON.parse(JSON.stringify(payload)), lambdaContext(fn))), timeout]);
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  } catch (e) {
    if (e instanceof FunctionError) throw e;
    throw new FunctionError(fn.name, (e as Error)?.message ?? String(e));
  } finally {
    clearTimeout(timer);
  }
}

function lambdaContext(fn: DeployedFunction): object {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return {
    functionName: fn.name,
    invokedFunctionArn: fn.arn,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
