/**
 * A CloudFormation template as the runner reads it: its types, what each resource waits for, and
 * the features the runner refuses.
 */
import { referencedNames } from './intrinsics';

/** One resource of a CloudFormation template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** The parts of a template the runner reads. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Description?: string }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Transform?: unknown;
}

/** DependsOn plus every resource the properties refer to. */
export function templateDependencies(template: CfnTemplate, logicalId: string): string[] {
  const resource = template.Resources[logicalId];
  const explicit = resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
  const referenced = [...referencedNames(resource.Properties ?? {})];
  return [...new Set([...explicit, ...referenced])].filter((id) => id in template.Resources && id !== logicalId);
}

/** Throws for what the runner cannot deploy faithfully: a Transform, a Condition. */
export function checkSupported(template: CfnTemplate): void {
  if (template.Transform) throw new Error('Templates with a Transform are not supported by the local runner');
  const conditional = Object.entries(template.Resources).filter(([, r]) => r.Condition).map(([id]) => id);
  if (conditional.length > 0) throw new Error(`Resources with a Condition are not supported by the local runner: ${conditional.join(', ')}`);
}
