/**
 * The Provider framework's handler imports @aws-sdk/client-lambda and @aws-sdk/client-sfn, which
 * Lambda's Node.js runtime provides and this repository does not install. To bundle and load it
 * like our handlers (SDK included), the bench installs those two clients into its scratch folder
 * with npm, at the release our handlers bundle. Offline, it reports that and bundles them external.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The release of the Panorama and S3 clients our handlers bundle (see .projenrc.ts). */
export const SDK_VERSION = '3.1076.0';

/** The node_modules folder holding the framework's clients, or undefined when npm could not fetch them. */
export function installFrameworkSdk(dir: string, log: (line: string) => void): string | undefined {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'framework-sdk', version: '0.0.0', private: true }));
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error',
      `@aws-sdk/client-lambda@${SDK_VERSION}`, `@aws-sdk/client-sfn@${SDK_VERSION}`], { cwd: dir, stdio: 'pipe', timeout: 180_000 });
    return path.join(dir, 'node_modules');
  } catch (e) {
    log(`framework SDK install failed, bundling the framework with the SDK external: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}
