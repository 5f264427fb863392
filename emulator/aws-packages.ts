/**
 * AWS's own node packages (`panorama::…`), which every account's application manifests may name
 * without importing them. The emulator registers the two that AWS's published samples use, from the
 * start; their interfaces are the ones the samples show (src/rules/graph's `awsPackage`).
 */
import { createHash } from 'crypto';
import { AWS_PACKAGE_ACCOUNT, awsPackage, KnownPackage } from '../src/rules/graph';

/** One registered version of an AWS package. */
export interface AwsPackageVersion {
  /** The name without its account, e.g. `abstract_rtsp_media_source`. */
  readonly name: string;
  readonly version: string;
  /** A fixed patch version (the real one was never published): the sha256 of `panorama::<name> <version>`. */
  readonly patchVersion: string;
  /** Its interfaces and ports, as the samples use them. */
  readonly known: KnownPackage;
}

function registered(name: string, version: string): AwsPackageVersion {
  const fullName = `${AWS_PACKAGE_ACCOUNT}::${name}`;
  const known = awsPackage(fullName, version);
  if (!known) throw new Error(`src/rules/graph knows no interfaces of ${fullName} ${version}`);
  return { name, version, patchVersion: createHash('sha256').update(`${fullName} ${version}`).digest('hex'), known };
}

/** The AWS packages registered in every emulated account: the abstract camera and the HDMI display. */
export const AWS_PACKAGE_VERSIONS: readonly AwsPackageVersion[] = [
  registered('abstract_rtsp_media_source', '1.0'),
  registered('hdmi_data_sink', '1.0'),
];

/** The registered AWS package of that name and version, if any. */
export function findAwsPackage(name: string, version: string): AwsPackageVersion | undefined {
  return AWS_PACKAGE_VERSIONS.find((p) => p.name === name && p.version === version);
}
