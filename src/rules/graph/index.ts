/**
 * The application manifest (`graph.json`) and its overrides, checked beyond their schemas: how nodes,
 * packages, interfaces, ports and edges refer to each other, and what parameter values may hold.
 * Every problem names the node, edge or package, the bad value and the rule.
 *
 * Pure (no file system, no aws-cdk-lib): the construct checks a project's graph at synth with it,
 * and the emulator can check a CreateApplicationInstance payload with the same words.
 */
import { checkNodeGraphDocument } from '../schema';
import { fieldIn, ValidationProblem } from '../validation';
import { edgeProblems } from './edges';
import { NodeGraphDocument } from './node-graph';
import { parameterValueProblems } from './parameters';
import { duplicateProblems, nodeInterfaceProblems, PackageCatalog } from './references';

export * from './node-graph';
export { awsPackage, describePorts, manifestInterfaces } from './package-interfaces';
export type { KnownPackage, PackageInterface, Port } from './package-interfaces';
export { MAX_PAYLOAD_CHARACTERS, payloadCharacters, pinPackages } from './manifest-payload';
export { literalJson } from './literal-json';
export type { PackagePin } from './manifest-payload';
export type { PackageCatalog } from './references';
export { overrideReplacementProblems, overrideTargetProblems } from './overrides';
export type { NodeGraphOverrides, NodeGraphOverridesDocument } from './overrides';
export { ABSTRACT_CAMERA_PACKAGE, bindCameras, cameraNodeName, cameraOverrides, DEFAULT_CAMERA_NODE, mergeOverrides } from './camera-binding';
export type { BoundCamera, ResolvedBinding } from './camera-binding';

/** The outcome of checking a graph: the document when it conforms to the schema, and every problem. */
export interface GraphReading {
  readonly document?: NodeGraphDocument;
  readonly problems: ValidationProblem[];
}

/**
 * A parsed graph.json against the `nodeGraph` schema, then (once it conforms) the cross-checks:
 * packages listed once, node names unique, every node's interface in a listed package (and one of
 * its interfaces, where `catalog` knows them), every edge between existing ports of one type, and
 * parameter values within their types.
 * @param catalog what is known of the listed packages, by their name as listed; a package it lacks
 *   is one whose interfaces nobody published, so nothing about its nodes' interfaces or ports is refused
 */
export function checkApplicationGraph(document: unknown, source: string, catalog: PackageCatalog): GraphReading {
  const schemaProblems = checkNodeGraphDocument(document, source);
  // The cross-checks read names the schema guarantees: only a conforming graph can be cross-checked.
  if (schemaProblems.length > 0) return { problems: schemaProblems };
  const graphDocument = document as NodeGraphDocument;
  const problems = crossCheckApplicationGraph(graphDocument, source, catalog);
  return problems.length > 0 ? { problems } : { document: graphDocument, problems };
}

/**
 * The cross-checks alone, for a graph already checked against the `nodeGraph` schema (as the
 * construct and the emulator check it first, to read its packages): see checkApplicationGraph.
 */
export function crossCheckApplicationGraph(document: NodeGraphDocument, source: string, catalog: PackageCatalog): ValidationProblem[] {
  const graph = document.nodeGraph;
  return [
    ...duplicateProblems(graph, source),
    ...nodeInterfaceProblems(graph, source, catalog),
    ...edgeProblems(graph, source, catalog),
    ...parameterValueProblems(graph, source),
  ];
}

/** A routing rule for a node that does not exist routes nothing: advice, since no rule is known to refuse it. */
export function graphAdvice(graph: NodeGraphDocument, source: string): ValidationProblem[] {
  const nodes = graph.nodeGraph.nodes.map((n) => n.name);
  return (graph.nodeGraph.networkRoutingRules ?? []).flatMap((rule, i) => (nodes.includes(rule.node) ? [] : [
    new ValidationProblem(fieldIn(source, `nodeGraph.networkRoutingRules[${i}].node`), rule.node,
      `names no node of the graph, so the rule routes nothing (nodes: ${nodes.join(', ')})`),
  ]));
}

/**
 * What in overrides probably does not do what was meant, though neither the schema nor the service
 * is known to refuse it: a `replace` that names no node of the graph, a replacement that names no
 * node of the overrides or the graph, a routing rule for a node that does not exist. Advice, not
 * errors. The overrides must conform to their schema first.
 */
export function overridesAdvice(overrides: unknown, graph: NodeGraphDocument, source: string): ValidationProblem[] {
  const body = (overrides as { nodeGraphOverrides: OverridesBody }).nodeGraphOverrides;
  const graphNodes = graph.nodeGraph.nodes.map((n) => n.name);
  const overrideNodes = (body.nodes ?? []).map((n) => n.name);
  const advice: ValidationProblem[] = [];
  (body.nodeOverrides ?? []).forEach((override, i) => {
    if (!graphNodes.includes(override.replace)) {
      advice.push(new ValidationProblem(fieldIn(source, `nodeGraphOverrides.nodeOverrides[${i}].replace`), override.replace,
        `names no node of the graph, so it replaces nothing (nodes: ${graphNodes.join(', ')})`));
    }
    override.with.forEach((replacement, j) => {
      if (!overrideNodes.includes(replacement.name) && !graphNodes.includes(replacement.name)) {
        advice.push(new ValidationProblem(fieldIn(source, `nodeGraphOverrides.nodeOverrides[${i}].with[${j}].name`), replacement.name,
          `names no node of the overrides or the graph, so nothing replaces ${override.replace} (overrides' nodes: ${overrideNodes.join(', ') || 'none'})`));
      }
    });
  });
  const allNodes = [...graphNodes, ...overrideNodes];
  (body.networkRoutingRules ?? []).forEach((rule, i) => {
    if (!allNodes.includes(rule.node)) {
      advice.push(new ValidationProblem(fieldIn(source, `nodeGraphOverrides.networkRoutingRules[${i}].node`), rule.node,
        `names no node of the graph or the overrides, so the rule routes nothing (nodes: ${allNodes.join(', ')})`));
    }
  });
  return advice;
}

/** The parts of `nodeGraphOverrides` the advice reads, as its schema checked them. */
interface OverridesBody {
  readonly nodes?: Array<{ readonly name: string }>;
  readonly nodeOverrides?: Array<{ readonly replace: string; readonly with: Array<{ readonly name: string }> }>;
  readonly networkRoutingRules?: Array<{ readonly node: string }>;
}
