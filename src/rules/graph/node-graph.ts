/**
 * The application manifest (`graph.json`, `{"nodeGraph": …}`) as the cross-checks read it, once the
 * `nodeGraph` schema has accepted it, and how its names are built: a package is
 * `<account>::<name>`, a package node's interface `<account>::<name>.<interface>`, an edge's end
 * `<node>.<port>` (or a parameter node's name alone, as a producer).
 *
 * Pure: no file system and no aws-cdk-lib, so the construct and the emulator read graphs alike.
 */

/** One entry of `nodeGraph.packages`. */
export interface GraphPackage {
  readonly name: string;
  readonly version: string;
  readonly patchVersion?: string;
  readonly [key: string]: unknown;
}

/** One entry of `nodeGraph.nodes`: a package node, or a parameter node (`interface` is its type). */
export interface GraphNode {
  readonly name: string;
  readonly interface: string;
  readonly value?: unknown;
  readonly [key: string]: unknown;
}

/** One entry of `nodeGraph.edges`. */
export interface GraphEdge {
  readonly producer: string;
  readonly consumer: string;
}

/** One entry of `nodeGraph.networkRoutingRules`. */
export interface GraphRoutingRule {
  readonly node: string;
  readonly [key: string]: unknown;
}

/** The `nodeGraph` body. */
export interface NodeGraph {
  readonly envelopeVersion: string;
  readonly packages: GraphPackage[];
  readonly nodes: GraphNode[];
  readonly edges?: GraphEdge[];
  readonly networkRoutingRules?: GraphRoutingRule[];
  readonly [key: string]: unknown;
}

/** A whole graph.json document. */
export interface NodeGraphDocument {
  readonly nodeGraph: NodeGraph;
}

/** The types a parameter node can have; its `interface` is one of them. */
export const PARAMETER_TYPES = ['boolean', 'int32', 'float32', 'string'] as const;

/** Whether a node is a parameter node (its interface is a type, not a package's interface). */
export function isParameterNode(node: GraphNode): boolean {
  return (PARAMETER_TYPES as readonly string[]).includes(node.interface);
}

/** The account that owns AWS's own packages (`panorama::abstract_rtsp_media_source`). */
export const AWS_PACKAGE_ACCOUNT = 'panorama';

/** `<account>::<name>` in parts. */
export interface PackageReference {
  readonly account: string;
  readonly name: string;
}

/** Splits `<account>::<name>`. The schema guarantees the separator. */
export function splitPackageName(packageName: string): PackageReference {
  const at = packageName.indexOf('::');
  return { account: packageName.slice(0, at), name: packageName.slice(at + 2) };
}

/** Whether a package is one of AWS's own (`panorama::…`). */
export function isAwsPackage(packageName: string): boolean {
  return splitPackageName(packageName).account === AWS_PACKAGE_ACCOUNT;
}

/** A package node's interface in parts: `<account>::<name>` and the interface name after the last dot. */
export interface InterfaceReference {
  readonly packageName: string;
  readonly interfaceName: string;
}

/** Splits `<account>::<name>.<interface>`. Package and interface names hold no dot. */
export function splitInterface(nodeInterface: string): InterfaceReference {
  const dot = nodeInterface.lastIndexOf('.');
  return { packageName: nodeInterface.slice(0, dot), interfaceName: nodeInterface.slice(dot + 1) };
}

/** An edge's end: the node, and the port (absent for a parameter node's name alone). */
export interface EdgeEnd {
  readonly node: string;
  readonly port?: string;
}

/** Splits `<node>.<port>`; node and port names hold no dot. */
export function splitEdgeEnd(end: string): EdgeEnd {
  const dot = end.indexOf('.');
  return dot < 0 ? { node: end } : { node: end.slice(0, dot), port: end.slice(dot + 1) };
}
