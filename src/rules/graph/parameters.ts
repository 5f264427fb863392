/**
 * A parameter node's value fits its type. The schema already checks the JSON type (a number, a whole
 * number, a string, true or false); this adds the ranges of the device's 32-bit types.
 *
 * Pure: no file system and no aws-cdk-lib.
 */
import { fieldIn, ValidationProblem } from '../validation';
import { NodeGraph } from './node-graph';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** The largest finite IEEE 754 single-precision value. */
const FLOAT32_MAX = 3.4028234663852886e38;

function valueRule(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'int32':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number: the node is an int32 parameter';
      if (value < INT32_MIN || value > INT32_MAX) return `must be from ${INT32_MIN} to ${INT32_MAX}: the node is an int32 parameter`;
      return undefined;
    case 'float32':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number: the node is a float32 parameter';
      if (Math.abs(value) > FLOAT32_MAX) return `must be from -${FLOAT32_MAX} to ${FLOAT32_MAX}: the node is a float32 parameter`;
      return undefined;
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string: the node is a string parameter';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false: the node is a boolean parameter';
    default:
      return undefined;
  }
}

/** Every parameter node's value (when it has one) fits its type. */
export function parameterValueProblems(graph: NodeGraph, source: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  graph.nodes.forEach((node, i) => {
    if (node.value === undefined) return;
    const rule = valueRule(node.interface, node.value);
    if (rule) problems.push(new ValidationProblem(fieldIn(source, `nodeGraph.nodes[${i}].value`), node.value, `${rule} (node ${node.name})`));
  });
  return problems;
}
