/**
 * What a graph's nodes can use of a package: its interfaces and their ports. For a package of the
 * project, its manifest says; for AWS's own packages, only what the published samples show.
 *
 * Pure: no file system and no aws-cdk-lib.
 */
import { ManifestInterface } from '../manifest';

/** A port of an interface. */
export interface Port {
  readonly name: string;
  /** `media`, `float32`, `int32`, `string` or `boolean`. */
  readonly type: string;
}

/** An interface of a package, as the graph's nodes and edges use it. */
export interface PackageInterface {
  readonly name: string;
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];
}

/** What is known of a package that a graph lists. */
export interface KnownPackage {
  /** Where its interfaces are known from, for messages ("the manifest …/package.json"). */
  readonly origin: string;
  /** Its interfaces, with every port each has. */
  readonly interfaces: readonly PackageInterface[];
}

/** The interfaces a node package's manifest declares. */
export function manifestInterfaces(interfaces: readonly ManifestInterface[]): PackageInterface[] {
  const ports = (list: ManifestInterface['inputs'] | ManifestInterface['outputs']): Port[] =>
    (list ?? []).map((p) => ({ name: p.name, type: p.type }));
  return interfaces.map((i) => ({ name: i.name, inputs: ports(i.inputs), outputs: ports(i.outputs) }));
}

const MEDIA = 'media';

/**
 * AWS's packages whose interfaces the published samples show, by `<name>@<version>`: the abstract
 * camera that overrides replace with a real one, and the HDMI display. Nobody published the ports
 * of AWS's other packages (or other versions), so nothing about their nodes is refused.
 */
const AWS_PACKAGES: Record<string, readonly PackageInterface[]> = {
  'panorama::abstract_rtsp_media_source@1.0': [{ name: 'rtsp_v1_interface', inputs: [], outputs: [{ name: 'video_out', type: MEDIA }] }],
  'panorama::hdmi_data_sink@1.0': [{ name: 'hdmi0', inputs: [{ name: 'video_in', type: MEDIA }], outputs: [] }],
};

/** What the samples show of one of AWS's packages, or undefined when nothing is known of it. */
export function awsPackage(packageName: string, version: string): KnownPackage | undefined {
  const interfaces = AWS_PACKAGES[`${packageName}@${version}`];
  return interfaces && { origin: `AWS's package ${packageName} ${version}, as AWS's published samples use it`, interfaces };
}

/** `video_in (media), threshold (float32)`, or `none`. */
export function describePorts(ports: readonly Port[]): string {
  return ports.length === 0 ? 'none' : ports.map((p) => `${p.name} (${p.type})`).join(', ');
}
