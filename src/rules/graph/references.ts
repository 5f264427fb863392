/**
 * How a graph's nodes refer to its packages: names listed once, and every package node's interface
 * naming a listed package and, where the package's interfaces are known, one of them.
 *
 * Pure: no file system and no aws-cdk-lib.
 */
import { fieldIn, ValidationProblem } from '../validation';
import { GraphNode, isParameterNode, NodeGraph, splitInterface } from './node-graph';
import { KnownPackage, PackageInterface } from './package-interfaces';

/** What is known of the graph's packages, by their name as `packages[]` lists them. */
export type PackageCatalog = ReadonlyMap<string, KnownPackage>;

/** Package names listed twice, and node names used twice: references by name would be ambiguous. */
export function duplicateProblems(graph: NodeGraph, source: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const packages = new Map<string, number>();
  graph.packages.forEach((pkg, i) => {
    const first = packages.get(pkg.name);
    if (first === undefined) {
      packages.set(pkg.name, i);
      return;
    }
    problems.push(new ValidationProblem(fieldIn(source, `nodeGraph.packages[${i}].name`), pkg.name,
      `must be listed once, but packages[${first}] lists it too: a node names its package without a version, so two entries are ambiguous`));
  });
  const nodes = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    const first = nodes.get(node.name);
    if (first === undefined) {
      nodes.set(node.name, i);
      return;
    }
    problems.push(new ValidationProblem(fieldIn(source, `nodeGraph.nodes[${i}].name`), node.name,
      `must be unique, but nodes[${first}] has it too: edges and overrides name nodes by name`));
  });
  return problems;
}

/**
 * The interface a package node uses, when known: the package is listed and its interfaces are known.
 * Undefined for a parameter node, or when nothing can be said of its ports.
 */
export function interfaceOf(node: GraphNode, catalog: PackageCatalog): PackageInterface | undefined {
  if (isParameterNode(node)) return undefined;
  const { packageName, interfaceName } = splitInterface(node.interface);
  return catalog.get(packageName)?.interfaces.find((i) => i.name === interfaceName);
}

/** Every package node's interface names a listed package and, where known, one of its interfaces. */
export function nodeInterfaceProblems(graph: NodeGraph, source: string, catalog: PackageCatalog): ValidationProblem[] {
  const listed = graph.packages.map((p) => p.name);
  const problems: ValidationProblem[] = [];
  graph.nodes.forEach((node, i) => {
    if (isParameterNode(node)) return;
    const field = fieldIn(source, `nodeGraph.nodes[${i}].interface`);
    const { packageName, interfaceName } = splitInterface(node.interface);
    if (!listed.includes(packageName)) {
      problems.push(new ValidationProblem(field, node.interface,
        `must name a package listed in nodeGraph.packages, but node ${node.name}'s package ${packageName} is not listed (listed: ${listed.join(', ')})`));
      return;
    }
    const known = catalog.get(packageName);
    if (known && !known.interfaces.some((itf) => itf.name === interfaceName)) {
      problems.push(new ValidationProblem(field, node.interface,
        `must name an interface of package ${packageName}, but node ${node.name}'s interface ${interfaceName} is not one of them `
        + `(${known.origin} offers: ${known.interfaces.map((itf) => itf.name).join(', ') || 'none'})`));
    }
  });
  return problems;
}
