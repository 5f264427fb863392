/** Small builders shared by the construct tests: a fresh App and Stack for every test. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export const TEST_ENV = { account: '111111111111', region: 'us-east-1' };

/** A new App and a Stack with a concrete environment, so ARNs and bucket names are literals. */
export function newStack(id = 'TestStack'): Stack {
  return new Stack(new App(), id, { env: TEST_ENV });
}

/** The one resource of a type in the template; fails when there is not exactly one. */
export function onlyResource(template: Template, type: string): { Properties: Record<string, any>; [key: string]: any } {
  const found = Object.values(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0] as any;
}

/** Every IAM statement attached to the import handlers' role. */
export function handlerStatements(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const handlerRole = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => /^PanoramaPackageImportProvider[0-9a-f]*Role[0-9A-F]{8}$/.test(id));
  return Object.values(policies)
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === handlerRole))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

/** A resource as the template holds it. */
type TemplateResource = { Type: string; Properties: Record<string, any>; [key: string]: any };

/** The user handlers and the waiter state machine of a Provider. */
export interface ProviderResources {
  readonly onEvent: TemplateResource;
  readonly isComplete: TemplateResource;
  readonly waiter: TemplateResource;
}

/**
 * The functions and the waiter behind a custom resource of the Provider framework: its service
 * token is the framework's onEvent function, whose environment names the user handlers and the
 * waiter state machine.
 */
export function handlersOf(template: Template, customResource: TemplateResource): ProviderResources {
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  const [entryId] = customResource.Properties.ServiceToken['Fn::GetAtt'];
  const variables = resources[entryId].Properties.Environment.Variables;
  return {
    onEvent: resources[variables.USER_ON_EVENT_FUNCTION_ARN['Fn::GetAtt'][0]],
    isComplete: resources[variables.USER_IS_COMPLETE_FUNCTION_ARN['Fn::GetAtt'][0]],
    waiter: resources[variables.WAITER_STATE_MACHINE_ARN.Ref],
  };
}

/** A one-AZ VPC whose default subnets for Lambda (with egress) are not its isolated ones (group `Isolated`). */
export function vpcWithIsolatedSubnets(scope: Construct): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}
