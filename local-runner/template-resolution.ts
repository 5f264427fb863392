/**
 * The template's values, resolved over the stack's state as CloudFormation resolves them: a
 * resource's properties (Ref and Fn::GetAtt read what this session deployed so far, parameters
 * their defaults, `AWS::…` the stack's pseudo parameters), and the stack's outputs.
 */
import { IntrinsicContext, resolveIntrinsics } from './intrinsics';
import type { StackWork } from './stack-work';
import type { CfnResource } from './template';

/** A resource's properties, every intrinsic resolved; a type the runner does not emulate keeps them raw when they cannot be. */
export function resolveProperties(work: StackWork, resource: CfnResource): Record<string, unknown> {
  const raw = resource.Properties ?? {};
  try {
    return (resolveIntrinsics(raw, intrinsicContext(work)) ?? {}) as Record<string, unknown>;
  } catch (e) {
    // A type the runner does not emulate only needs its properties for change detection.
    if (!work.typeOf(resource.Type).emulated) return raw;
    throw e;
  }
}

/** The resource's properties as the template now says, or as last deployed when they cannot be resolved (for the rollback). */
export function resolvePropertiesOrLast(work: StackWork, logicalId: string): Record<string, unknown> {
  try {
    return resolveProperties(work, work.template.Resources[logicalId]);
  } catch {
    return work.previous?.resources[logicalId]?.properties ?? {};
  }
}

/** The stack's outputs; one that cannot be resolved is left out, with a warning in the result. */
export function resolveOutputs(work: StackWork): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(work.template.Outputs ?? {})) {
    try {
      outputs[name] = String(resolveIntrinsics(output.Value, intrinsicContext(work)));
    } catch (e) {
      work.report.addWarning(`Output ${name}: ${(e as Error).message}`);
    }
  }
  return outputs;
}

function intrinsicContext(work: StackWork): IntrinsicContext {
  const { account, region, partition, stackName } = work.context;
  return {
    pseudo: { accountId: account, region, partition, stackName, stackId: work.stackId, urlSuffix: 'amazonaws.com' },
    ref: (name) => {
      const resource = work.current[name];
      if (resource) return resource.physicalId;
      const parameter = work.template.Parameters?.[name];
      if (parameter) return String(parameter.Default ?? '');
      throw new Error(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
    },
    getAtt: (name, attribute) => {
      const resource = work.current[name];
      if (!resource) throw new Error(`Fn::GetAtt: ${name} is not a deployed resource of this stack`);
      const value = resource.attributes[attribute];
      if (value !== undefined) return value;
      if (!work.typeOf(resource.type).emulated) return `${resource.physicalId}.${attribute}`;
      throw new Error(`CustomResource attribute error: Vendor response doesn't contain ${attribute} attribute in object ${name} (${resource.type})`);
    },
  };
}
