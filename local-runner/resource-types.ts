/**
 * The resource types the runner knows, by CloudFormation type name, and the one it falls back to.
 * Each type is a {@link ResourceType} in a module of its own: the plain AWS types (aws-types.ts),
 * `AWS::Panorama::ApplicationInstance` (application-instance-type.ts) and the package import, a
 * Provider-framework custom resource (provider-framework-type.ts), as is the camera; secrets
 * (secret-type.ts). More can be passed to the
 * deployer in `LocalDeployerOptions.resourceTypes`.
 */
import { applicationInstanceType, APPLICATION_INSTANCE_TYPE } from './application-instance-type';
import { autoDeleteObjectsType, bucketType, functionType, skippedType, stateMachineType } from './aws-types';
import { providerFrameworkType } from './provider-framework-type';
import type { ResourceType } from './resource-type';
import { SECRET_TYPE, secretType } from './secret-type';
import { CAMERA_RESOURCE_TYPE } from '../src/rules/camera-contract';
import { PACKAGE_IMPORT_ATTRIBUTES, PACKAGE_IMPORT_RESOURCE_TYPE } from '../src/rules/contract';

/** An import's attributes as they are logged: PackageArn first, then the StorageLocation, then the rest. */
function importAttributeOrder(attributes: Record<string, string>): string[] {
  const rank = (key: string) => (key === PACKAGE_IMPORT_ATTRIBUTES.packageArn ? 0 : key.startsWith('StorageLocation.') ? 1 : 2);
  return Object.keys(attributes).sort((a, b) => rank(a) - rank(b));
}

/** The types the runner handles; any other is skipped. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
  'AWS::S3::Bucket': bucketType,
  'AWS::Lambda::Function': functionType,
  'AWS::StepFunctions::StateMachine': stateMachineType,
  'Custom::S3AutoDeleteObjects': autoDeleteObjectsType,
  [APPLICATION_INSTANCE_TYPE]: applicationInstanceType(),
  [PACKAGE_IMPORT_RESOURCE_TYPE]: providerFrameworkType({ loggedAttributes: importAttributeOrder }),
  [CAMERA_RESOURCE_TYPE]: providerFrameworkType({ loggedAttributes: (attributes) => Object.keys(attributes) }),
  [SECRET_TYPE]: secretType,
};

/** The behaviour of a type: the known one, else skipped with a made-up id. */
export function resourceType(type: string, types: Readonly<Record<string, ResourceType>> = RESOURCE_TYPES): ResourceType {
  return types[type] ?? skippedType;
}
