/**
 * The cameras an application binds to its graph's abstract camera nodes: checked against the graph
 * at synth (which node, whether it can be replaced, the ports the edges use), rendered as overrides
 * the way the samples write them, merged with an overrides file, and deployed as the instance's
 * `ManifestOverridesPayload` with the tokens CloudFormation fills in.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApplicationGraph, awsCatalog, overridesSizeProblems, readOverridesFile } from './application-manifest';
import { PanoramaCamera } from '../camera/panorama-camera';
import { bindCameras, BoundCamera, cameraNodeName, cameraOverrides, literalJson, mergeOverrides, NodeGraphOverrides } from '../rules/graph';
import { checkNodeGraphOverridesDocument } from '../rules/schema';
import { described, throwIfProblems, ValidationProblem } from '../rules/validation';

/** The longest an account and a patch version can be, for the size of the rendered overrides. */
const LONGEST_ACCOUNT = '0'.repeat(12);
const LONGEST_PATCH_VERSION = 'f'.repeat(64);

/**
 * The overrides payload of the cameras (and the file, when there is one), or undefined when there
 * are neither. Throws naming the node and the camera when a camera cannot replace its node.
 */
export function renderCameraOverrides(
  scope: Construct, graph: ApplicationGraph, cameras: { [node: string]: PanoramaCamera[] } | undefined, overridesFile: string | undefined,
): string | undefined {
  const stack = Stack.of(scope);
  const file = overridesFile === undefined ? undefined : readOverridesFile(scope, graph, overridesFile);
  if (cameras === undefined || Object.keys(cameras).length === 0) return file === undefined ? undefined : literalJson(file);

  const named = (camera: PanoramaCamera, packageName: string, patchVersion: string): BoundCamera => ({
    name: camera.cameraName, label: camera.node.path, packageName, version: camera.version, patchVersion,
  });
  const unnamed = Object.values(cameras).flat().filter((c) => Token.isUnresolved(c.cameraName));
  if (unnamed.length > 0) {
    throwIfProblems(unnamed.map((c) => new ValidationProblem(`cameras (${c.node.path})`, described('a token'),
      'must have a name known at synth: the overrides name its node and interface after it')));
  }
  const account = Token.isUnresolved(stack.account) ? LONGEST_ACCOUNT : stack.account;
  // Checked with the names they will have (the account at its longest where unknown), then rendered with the tokens.
  const atSynth = Object.fromEntries(Object.entries(cameras).map(([node, list]) =>
    [node, list.map((c) => named(c, `${account}::${c.cameraName}`, LONGEST_PATCH_VERSION))]));
  const checked = bindCameras(graph.document.nodeGraph, atSynth, awsCatalog(graph.document.nodeGraph.packages));
  throwIfProblems(checked.problems);
  const cameraNames = new Map(Object.values(cameras).flat().map((c) => [cameraNodeName(c.cameraName), `${c.cameraName} (${c.node.path})`]));
  const merged = (bound: NodeGraphOverrides) => (file === undefined
    ? { overrides: bound, problems: [] }
    : mergeOverrides(file.nodeGraphOverrides, overridesFile!, bound, cameraNames));
  const probe = merged(cameraOverrides(checked.bindings));
  const probeDocument = { nodeGraphOverrides: probe.overrides };
  throwIfProblems([
    ...probe.problems,
    ...checkNodeGraphOverridesDocument(probeDocument, 'the overrides of `cameras`'),
  ]);
  throwIfProblems(overridesSizeProblems(probeDocument, 'the overrides of `cameras`', ', with patch versions of 64 characters'));

  const withTokens = checked.bindings.map((binding) => ({
    node: binding.node,
    cameras: binding.cameras.map((bound) => {
      const camera = Object.values(cameras).flat().find((c) => c.cameraName === bound.name)!;
      return named(camera, camera.packageName, camera.patchVersion);
    }),
  }));
  // The file's text stays text; the cameras' names and patches are tokens CloudFormation resolves.
  return literalJson({ nodeGraphOverrides: merged(cameraOverrides(withTokens)).overrides }, file ?? {});
}
