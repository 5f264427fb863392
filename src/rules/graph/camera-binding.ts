/**
 * Cameras bound to a graph's abstract camera nodes, as `PanoramaApplication`'s `cameras` binds them:
 * which node each binding replaces (by default the graph's only `panorama::abstract_rtsp_media_source`
 * node), whether the cameras can replace it (the node exists, is overridable, and every port the
 * graph's edges use of it is one a camera offers), the overrides document the samples write for it,
 * and that document merged with an overrides file (a conflict is an error).
 *
 * Pure: no file system and no aws-cdk-lib.
 */
import { cameraInterface } from '../camera';
import { described, ValidationProblem } from '../validation';
import { GraphNode, GraphPackage, NodeGraph, splitInterface } from './node-graph';
import { NodeGraphOverrides, portsUsed } from './overrides';
import { describePorts } from './package-interfaces';
import { PackageCatalog } from './references';

/** AWS's abstract camera, which the samples' overrides replace with real cameras. */
export const ABSTRACT_CAMERA_PACKAGE = 'panorama::abstract_rtsp_media_source';
/** The key of `cameras` that means "the graph's only abstract camera node". */
export const DEFAULT_CAMERA_NODE = '*';

/** A camera as the binding sees it. */
export interface BoundCamera {
  /** Its name (known at synth): its package's, its node's and its interface's. */
  readonly name: string;
  /** How messages name it (its construct path). */
  readonly label: string;
  /** `<account>::<name>` (a token until deployed). */
  readonly packageName: string;
  readonly version: string;
  /** The patch its job registered (a token until deployed); pinned, so a new camera is a new instance. */
  readonly patchVersion: string;
}

/** The node a camera is deployed as, named as the samples name it. */
export function cameraNodeName(cameraName: string): string {
  return `${cameraName}_node`;
}

/** One binding resolved: the graph's node, and the cameras that replace it. */
export interface ResolvedBinding {
  readonly node: string;
  readonly cameras: readonly BoundCamera[];
}

/**
 * Resolves each binding's node and checks the cameras can replace it; every problem names the node
 * and the cameras. `catalog` is what is known of the graph's packages (AWS's, at least).
 */
export function bindCameras(
  graph: NodeGraph, bindings: Readonly<Record<string, readonly BoundCamera[]>>, catalog: PackageCatalog,
): { bindings: ResolvedBinding[]; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const resolved: ResolvedBinding[] = [];
  const nodes = new Map(graph.nodes.map((n) => [n.name, n] as [string, GraphNode]));
  const nodeList = graph.nodes.map((n) => n.name).join(', ');
  const seen = new Map<string, string>();
  for (const [key, cameras] of Object.entries(bindings)) {
    const field = `cameras[${JSON.stringify(key)}]`;
    const labels = cameras.map((c) => `${c.name} (${c.label})`).join(', ');
    if (cameras.length === 0) {
      problems.push(new ValidationProblem(field, described('[]'), 'must list at least one camera: an abstract camera replaced by nothing shows nothing'));
      continue;
    }
    for (const camera of cameras) {
      const earlier = seen.get(camera.name);
      if (earlier !== undefined) {
        problems.push(new ValidationProblem(field, camera.name, `must be bound once, but camera ${camera.name} is bound to ${earlier} too: one camera is one node of the application`));
      }
      seen.set(camera.name, key);
    }
    let nodeName = key;
    if (key === DEFAULT_CAMERA_NODE) {
      const abstract = graph.nodes.filter((n) => splitInterface(n.interface).packageName === ABSTRACT_CAMERA_PACKAGE).map((n) => n.name);
      if (abstract.length !== 1) {
        problems.push(new ValidationProblem(field, key, `must be a node name here: the graph has ${abstract.length === 0 ? 'no' : `${abstract.length} (${abstract.join(', ')})`} `
          + `${ABSTRACT_CAMERA_PACKAGE} node${abstract.length === 1 ? '' : 's'}, so it is not clear which one cameras ${labels} replace`));
        continue;
      }
      nodeName = abstract[0];
    }
    const node = nodes.get(nodeName);
    if (!node) {
      problems.push(new ValidationProblem(field, nodeName, `must name a node of the graph, but there is none of that name, so cameras ${labels} would replace nothing (nodes: ${nodeList})`));
      continue;
    }
    if (node.overridable !== true) {
      problems.push(new ValidationProblem(field, nodeName, `must name an overridable node, but the graph does not mark node ${nodeName} "overridable": true, so Panorama would not replace it with cameras ${labels}`));
      continue;
    }
    for (const camera of cameras) {
      const itf = cameraInterface(camera.name);
      for (const need of portsUsed(graph, nodeName, nodes, catalog)) {
        const ports = need.direction === 'output' ? itf.outputs : itf.inputs;
        const offered = ports.find((p) => p.name === need.port);
        if (offered && (need.type === undefined || offered.type === need.type)) continue;
        problems.push(new ValidationProblem(field, camera.name,
          `cannot replace node ${nodeName}: the graph's edge ${need.edge} uses its ${need.direction} ${need.port}${need.type ? ` (${need.type})` : ''}, `
          + `but camera ${camera.name} (${camera.label}) offers ${need.direction}s: ${describePorts(ports)}`));
      }
    }
    resolved.push({ node: nodeName, cameras });
  }
  return { bindings: resolved, problems };
}

/** The overrides the samples write for these cameras: their packages (pinned), their nodes, and each replacement. */
export function cameraOverrides(bindings: readonly ResolvedBinding[]): NodeGraphOverrides {
  const cameras = bindings.flatMap((b) => b.cameras);
  return {
    envelopeVersion: '2021-01-01',
    packages: cameras.map((c) => ({ name: c.packageName, version: c.version, patchVersion: c.patchVersion })),
    nodes: cameras.map((c) => ({
      name: cameraNodeName(c.name),
      interface: `${c.packageName}.${c.name}`,
      overridable: true,
      overrideMandatory: false,
      launch: 'onAppStart',
    })),
    nodeOverrides: bindings.map((b) => ({ replace: b.node, with: b.cameras.map((c) => ({ name: cameraNodeName(c.name) })) })),
  };
}

/**
 * An overrides file's body merged with the cameras' overrides: packages, nodes and replacements of
 * both. The same package at another version, a node name in both, or one node replaced by both is
 * a conflict, named with the file and the cameras.
 */
export function mergeOverrides(
  file: NodeGraphOverrides, fileSource: string, cameras: NodeGraphOverrides, cameraNames: ReadonlyMap<string, string>,
): { overrides: NodeGraphOverrides; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const filePackages = file.packages ?? [];
  const packages: GraphPackage[] = [...filePackages];
  for (const pkg of cameras.packages ?? []) {
    const twin = filePackages.find((p) => p.name === pkg.name);
    if (twin) {
      problems.push(new ValidationProblem(`${fileSource} nodeGraphOverrides.packages`, twin.name,
        `conflicts with the bound camera's package ${pkg.name}: give the camera in \`cameras\` or in the file, not both`));
    } else {
      packages.push(pkg);
    }
  }
  const fileNodes = file.nodes ?? [];
  for (const node of cameras.nodes ?? []) {
    if (fileNodes.some((n) => n.name === node.name)) {
      problems.push(new ValidationProblem(`${fileSource} nodeGraphOverrides.nodes`, node.name,
        `conflicts with the node of bound camera ${cameraNames.get(node.name) ?? node.name}: both would be node ${node.name}`));
    }
  }
  const fileReplacements = file.nodeOverrides ?? [];
  for (const replacement of cameras.nodeOverrides ?? []) {
    if (fileReplacements.some((r) => r.replace === replacement.replace)) {
      problems.push(new ValidationProblem(`${fileSource} nodeGraphOverrides.nodeOverrides`, replacement.replace,
        `conflicts with \`cameras\`: both replace node ${replacement.replace} (with ${replacement.with.map((w) => cameraNames.get(w.name) ?? w.name).join(', ')} from \`cameras\`); replace it in one place`));
    }
  }
  return {
    overrides: {
      ...file,
      packages,
      nodes: [...fileNodes, ...(cameras.nodes ?? [])],
      nodeOverrides: [...fileReplacements, ...(cameras.nodeOverrides ?? [])],
    },
    problems,
  };
}
