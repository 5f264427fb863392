/**
 * A graph's edges: each connects an existing node's output (or a parameter node, by its name) to an
 * existing node's input, of the same type. Ports are checked where the interface is known.
 *
 * Pure: no file system and no aws-cdk-lib.
 */
import { fieldIn, ValidationProblem } from '../validation';
import { GraphNode, isParameterNode, NodeGraph, splitEdgeEnd } from './node-graph';
import { describePorts, PackageInterface } from './package-interfaces';
import { interfaceOf, PackageCatalog } from './references';

/** What one end of an edge resolved to: its type when known, else why it cannot be checked further. */
interface ResolvedEnd {
  /** The port's (or the parameter's) type; undefined when the interface's ports are unknown. */
  readonly type?: string;
  readonly problem?: ValidationProblem;
}

function nodeList(graph: NodeGraph): string {
  return graph.nodes.map((n) => n.name).join(', ');
}

function producerEnd(value: string, field: string, graph: NodeGraph, nodes: Map<string, GraphNode>, catalog: PackageCatalog): ResolvedEnd {
  const { node: name, port } = splitEdgeEnd(value);
  const node = nodes.get(name);
  if (!node) {
    return { problem: new ValidationProblem(field, value, `must name an existing node, but no node is named ${name} (nodes: ${nodeList(graph)})`) };
  }
  if (isParameterNode(node)) {
    if (port !== undefined) {
      return { problem: new ValidationProblem(field, value, `must be the parameter node's name alone (${name}): a parameter node produces its value, it has no ports`) };
    }
    return { type: node.interface };
  }
  if (port === undefined) {
    return { problem: new ValidationProblem(field, value, `must name one of node ${name}'s output ports as ${name}.<port>: only a parameter node is named alone`) };
  }
  return portOf(value, field, node, port, 'output', interfaceOf(node, catalog));
}

function consumerEnd(value: string, field: string, graph: NodeGraph, nodes: Map<string, GraphNode>, catalog: PackageCatalog): ResolvedEnd {
  const { node: name, port } = splitEdgeEnd(value);
  const node = nodes.get(name);
  if (!node) {
    return { problem: new ValidationProblem(field, value, `must name an existing node, but no node is named ${name} (nodes: ${nodeList(graph)})`) };
  }
  if (isParameterNode(node)) {
    return { problem: new ValidationProblem(field, value, `must name a package node's input port, but ${name} is a ${node.interface} parameter node, which has no inputs`) };
  }
  if (port === undefined) {
    return { problem: new ValidationProblem(field, value, `must name one of node ${name}'s input ports as ${name}.<port>`) };
  }
  return portOf(value, field, node, port, 'input', interfaceOf(node, catalog));
}

function portOf(value: string, field: string, node: GraphNode, port: string, direction: 'input' | 'output', itf: PackageInterface | undefined): ResolvedEnd {
  // Unknown interface (AWS's unpublished ones, or one already refused): nothing to say of its ports.
  if (!itf) return {};
  const ports = direction === 'input' ? itf.inputs : itf.outputs;
  const found = ports.find((p) => p.name === port);
  if (!found) {
    return {
      problem: new ValidationProblem(field, value,
        `must name an ${direction} port of node ${node.name}'s interface ${node.interface}, but it has no ${direction} ${port} (its ${direction}s: ${describePorts(ports)})`),
    };
  }
  return { type: found.type };
}

/** Every edge's ends exist, have the right direction, and carry one type. */
export function edgeProblems(graph: NodeGraph, source: string, catalog: PackageCatalog): ValidationProblem[] {
  const nodes = new Map(graph.nodes.map((n) => [n.name, n] as [string, GraphNode]));
  const problems: ValidationProblem[] = [];
  (graph.edges ?? []).forEach((edge, i) => {
    const at = `nodeGraph.edges[${i}]`;
    const producer = producerEnd(edge.producer, fieldIn(source, `${at}.producer`), graph, nodes, catalog);
    const consumer = consumerEnd(edge.consumer, fieldIn(source, `${at}.consumer`), graph, nodes, catalog);
    for (const end of [producer, consumer]) if (end.problem) problems.push(end.problem);
    if (producer.type !== undefined && consumer.type !== undefined && producer.type !== consumer.type) {
      problems.push(new ValidationProblem(fieldIn(source, at), `${edge.producer} -> ${edge.consumer}`,
        `must connect ports of one type, but ${edge.producer} produces ${producer.type} and ${edge.consumer} takes ${consumer.type}`));
    }
  });
  return problems;
}
