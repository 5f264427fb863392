/**
 * The manifest an application instance is created with: graph.json with the project's packages
 * renamed to the account they are imported into and pinned to the patch their import registered,
 * and its size as CreateApplicationInstance counts it.
 *
 * Pure: no file system and no aws-cdk-lib. The account and patch may be CDK tokens (strings): the
 * construct renders the result with `Stack.toJsonString`, and measures a copy pinned with stand-ins
 * as long as the longest values those tokens can take.
 */
import { literalJson } from './literal-json';
import { isParameterNode, NodeGraphDocument, splitInterface, splitPackageName } from './node-graph';

/** `ManifestPayload.PayloadData` and `ManifestOverridesPayload.PayloadData`: at most 51,200 characters. */
export const MAX_PAYLOAD_CHARACTERS = 51_200;

/** Where one listed package is deployed from: the account it is imported into and the patch imported. */
export interface PackagePin {
  readonly account: string;
  readonly patchVersion: string;
}

/**
 * A copy of the graph in which every package keyed in `pins` (by its name as `packages[]` lists it)
 * is renamed to `<pin.account>::<name>` and pinned to `pin.patchVersion`, in `packages[]` and in the
 * interfaces of the nodes that use it. Every other package, and everything else, is left as it is.
 */
export function pinPackages(document: NodeGraphDocument, pins: ReadonlyMap<string, PackagePin>): NodeGraphDocument {
  const renamed = (packageName: string): string | undefined => {
    const pin = pins.get(packageName);
    return pin && `${pin.account}::${splitPackageName(packageName).name}`;
  };
  const graph = document.nodeGraph;
  return {
    ...document,
    nodeGraph: {
      ...graph,
      packages: graph.packages.map((pkg) => {
        const pin = pins.get(pkg.name);
        return pin ? { ...pkg, name: renamed(pkg.name)!, patchVersion: pin.patchVersion } : pkg;
      }),
      nodes: graph.nodes.map((node) => {
        if (isParameterNode(node)) return node;
        const { packageName, interfaceName } = splitInterface(node.interface);
        const name = renamed(packageName);
        return name === undefined ? node : { ...node, interface: `${name}.${interfaceName}` };
      }),
    },
  };
}

/**
 * The characters of a payload as the service counts a string's length (Unicode code points), for
 * the document serialized as the construct deploys it (compact JSON, the files' text kept literal:
 * literal-json.ts).
 * @param original the document as the file holds it, when `document` is a copy pinned by the library
 */
export function payloadCharacters(document: unknown, original: unknown = document): number {
  return [...literalJson(document, original)].length;
}
