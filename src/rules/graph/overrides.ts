/**
 * The overrides (`override.json`, `{"nodeGraphOverrides": …}`) against the graph they override: what
 * a `nodeOverrides` entry replaces must be an overridable node of the graph, and what replaces it
 * must be a node offering every port the graph's edges use of the replaced node, with the same type.
 *
 * Pure: no file system and no aws-cdk-lib; the construct checks bound cameras with it at synth, the
 * emulator checks a CreateApplicationInstance's overrides with the same words.
 */
import { fieldIn, ValidationProblem } from '../validation';
import { GraphNode, GraphPackage, isParameterNode, NodeGraph, splitEdgeEnd, splitInterface } from './node-graph';
import { describePorts, PackageInterface } from './package-interfaces';
import { interfaceOf, PackageCatalog } from './references';

/** The `nodeGraphOverrides` body, as its schema accepted it. */
export interface NodeGraphOverrides {
  readonly envelopeVersion: string;
  readonly packages?: GraphPackage[];
  readonly nodes?: GraphNode[];
  readonly nodeOverrides?: Array<{ readonly replace: string; readonly with: Array<{ readonly name: string }> }>;
  readonly [key: string]: unknown;
}

/** A whole override.json document. */
export interface NodeGraphOverridesDocument {
  readonly nodeGraphOverrides: NodeGraphOverrides;
}

/**
 * Each replaced node exists in the graph and is overridable, and each replacement names a node of
 * the overrides or of the graph. Errors: the cameras the construct binds must take effect.
 */
export function overrideTargetProblems(graph: NodeGraph, overrides: NodeGraphOverrides, source: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const graphNodes = new Map(graph.nodes.map((n) => [n.name, n] as [string, GraphNode]));
  const overrideNodes = (overrides.nodes ?? []).map((n) => n.name);
  (overrides.nodeOverrides ?? []).forEach((override, i) => {
    const target = graphNodes.get(override.replace);
    const field = fieldIn(source, `nodeGraphOverrides.nodeOverrides[${i}].replace`);
    if (!target) {
      problems.push(new ValidationProblem(field, override.replace, `must name a node of the graph, but there is none of that name (nodes: ${[...graphNodes.keys()].join(', ')})`));
    } else if (target.overridable !== true) {
      problems.push(new ValidationProblem(field, override.replace, 'must name an overridable node, but the graph does not mark it "overridable": true'));
    }
    override.with.forEach((replacement, j) => {
      if (!overrideNodes.includes(replacement.name) && !graphNodes.has(replacement.name)) {
        problems.push(new ValidationProblem(fieldIn(source, `nodeGraphOverrides.nodeOverrides[${i}].with[${j}].name`), replacement.name,
          `must name a node of the overrides or the graph (overrides' nodes: ${overrideNodes.join(', ') || 'none'})`));
      }
    });
  });
  return problems;
}

/**
 * Every node of the overrides names a listed package (of the overrides or the graph) and, where the
 * catalog knows it, one of its interfaces; every replacement offers the ports the graph's edges use
 * of the node it replaces, with their types.
 * @param catalog what is known of the packages of the graph and the overrides, by their listed name
 */
export function overrideReplacementProblems(
  graph: NodeGraph, overrides: NodeGraphOverrides, source: string, catalog: PackageCatalog,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const listed = [...(overrides.packages ?? []), ...graph.packages].map((p) => p.name);
  (overrides.nodes ?? []).forEach((node, i) => {
    if (isParameterNode(node)) return;
    const { packageName, interfaceName } = splitInterface(node.interface);
    const field = fieldIn(source, `nodeGraphOverrides.nodes[${i}].interface`);
    if (!listed.includes(packageName)) {
      problems.push(new ValidationProblem(field, node.interface,
        `must name a package listed in nodeGraphOverrides.packages or nodeGraph.packages, but node ${node.name}'s package ${packageName} is not listed`));
      return;
    }
    const known = catalog.get(packageName);
    if (known && !known.interfaces.some((itf) => itf.name === interfaceName)) {
      problems.push(new ValidationProblem(field, node.interface, `must name an interface of package ${packageName}, but node ${node.name}'s interface `
        + `${interfaceName} is not one of them (${known.origin} offers: ${known.interfaces.map((itf) => itf.name).join(', ') || 'none'})`));
    }
  });
  const nodes = new Map([...graph.nodes, ...(overrides.nodes ?? [])].map((n) => [n.name, n] as [string, GraphNode]));
  (overrides.nodeOverrides ?? []).forEach((override, i) => {
    const used = portsUsed(graph, override.replace, nodes, catalog);
    override.with.forEach((replacement, j) => {
      const node = nodes.get(replacement.name);
      const itf = node && interfaceOf(node, catalog);
      if (!node || !itf) return;
      for (const need of used) {
        const offered = (need.direction === 'output' ? itf.outputs : itf.inputs).find((p) => p.name === need.port);
        if (offered && (need.type === undefined || offered.type === need.type)) continue;
        const ports = need.direction === 'output' ? itf.outputs : itf.inputs;
        problems.push(new ValidationProblem(fieldIn(source, `nodeGraphOverrides.nodeOverrides[${i}].with[${j}].name`), replacement.name,
          `must offer the ${need.direction} ${need.port}${need.type ? ` (${need.type})` : ''} that the graph's edge ${need.edge} uses of ${override.replace}, `
          + `but its interface ${node.interface} has ${need.direction}s: ${describePorts(ports)}`));
      }
    });
  });
  return problems;
}

/** A port of a replaced node that an edge of the graph uses. */
export interface UsedPort {
  readonly direction: 'input' | 'output';
  readonly port: string;
  /** Its type, where the replaced node's interface is known. */
  readonly type?: string;
  readonly edge: string;
}

/** The ports of node `replaced` that the graph's edges use, with their types where its interface is known. */
export function portsUsed(graph: NodeGraph, replaced: string, nodes: ReadonlyMap<string, GraphNode>, catalog: PackageCatalog): UsedPort[] {
  const node = nodes.get(replaced);
  const itf: PackageInterface | undefined = node && interfaceOf(node, catalog);
  const used: UsedPort[] = [];
  for (const edge of graph.edges ?? []) {
    const edgeText = `${edge.producer} -> ${edge.consumer}`;
    const producer = splitEdgeEnd(edge.producer);
    if (producer.node === replaced && producer.port !== undefined) {
      used.push({ direction: 'output', port: producer.port, type: itf?.outputs.find((p) => p.name === producer.port)?.type, edge: edgeText });
    }
    const consumer = splitEdgeEnd(edge.consumer);
    if (consumer.node === replaced && consumer.port !== undefined) {
      used.push({ direction: 'input', port: consumer.port, type: itf?.inputs.find((p) => p.name === consumer.port)?.type, edge: edgeText });
    }
  }
  return used;
}
