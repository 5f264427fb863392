/**
 * cdk-nag suppressions that the construct applies to what it creates, each narrowed to a resource
 * and, where cdk-nag allows, to the exact finding, with the reason a reviewer needs.
 * Written as the `cdk_nag` metadata that cdk-nag reads, so the library does not depend on cdk-nag.
 */
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One suppressed rule; `appliesTo` narrows a granular rule to findings (strings or `{regex}`). */
export interface NagRule {
  readonly id: string;
  readonly reason: string;
  readonly appliesTo?: Array<string | { regex: string }>;
}

/** Adds the rules to the CloudFormation resource behind `construct`. */
export function suppressNag(construct: IConstruct, rules: NagRule[]): void {
  const resource = construct instanceof CfnResource ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) {
    throw new Error(`cannot suppress cdk-nag rules on ${construct.node.path}: it is not a CloudFormation resource`);
  }
  const existing = (resource.getMetadata('cdk_nag')?.rules_to_suppress ?? []) as object[];
  const added = rules.map((rule) => ({ id: rule.id, reason: rule.reason, ...(rule.appliesTo ? { applies_to: rule.appliesTo } : {}) }));
  resource.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...added] });
}

/** Escapes text for a cdk-nag `{regex: '/…/'}` finding pattern. */
export function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const FRAMEWORK = 'Part of aws-cdk-lib\'s custom resource Provider framework, which chooses it';

/** Why the import functions are not traced. */
export const NO_TRACING = 'Every step of the handlers writes one structured JSON log line; X-Ray traces of a copy-then-poll handler would add cost, not insight';

/** Rules for the resources that aws-cdk-lib's Provider framework creates inside our provider. */
export function suppressProviderFramework(provider: IConstruct): void {
  for (const child of provider.node.findAll()) {
    if (!(child instanceof CfnResource)) continue;
    switch (child.cfnResourceType) {
      case 'AWS::Lambda::Function':
        suppressNag(child, [
          { id: 'AwsSolutions-L1', reason: `${FRAMEWORK}: its runtime follows the aws-cdk-lib version in use` },
          { id: 'Serverless-LambdaLatestVersion', reason: `${FRAMEWORK}: its runtime follows the aws-cdk-lib version in use` },
          { id: 'Serverless-LambdaDefaultMemorySize', reason: `${FRAMEWORK}: it only relays events, 128 MB is ample` },
          { id: 'Serverless-LambdaDLQ', reason: `${FRAMEWORK}: invoked synchronously by CloudFormation or Step Functions, so a DLQ would never receive an event` },
          { id: 'Serverless-LambdaTracing', reason: `${FRAMEWORK}: ${NO_TRACING}` },
        ]);
        break;
      case 'AWS::IAM::Role':
        suppressNag(child, [{
          id: 'AwsSolutions-IAM4',
          reason: `${FRAMEWORK}: the basic (and VPC) execution policies grant only logging and network interfaces`,
          appliesTo: [{ regex: '/^Policy::arn:<AWS::Partition>:iam::aws:policy\\/service-role\\/AWSLambda(Basic|VPCAccess)ExecutionRole$/' }],
        }]);
        break;
      case 'AWS::IAM::Policy':
        suppressNag(child, [{
          id: 'AwsSolutions-IAM5',
          reason: `${FRAMEWORK}: it invokes any version of the import handlers (function ARN with :*), nothing else`,
          appliesTo: [{ regex: '/^Resource::<[A-Za-z0-9]+\\.Arn>:\\*$/' }],
        }]);
        if (child.node.path.includes('/waiter-state-machine/')) {
          suppressNag(child, [{
            id: 'AwsSolutions-IAM5',
            reason: `${FRAMEWORK}: CloudWatch Logs delivery actions for Step Functions logging have no resource type`,
            appliesTo: ['Resource::*'],
          }]);
        }
        break;
      case 'AWS::StepFunctions::StateMachine':
        suppressNag(child, [
          { id: 'AwsSolutions-SF2', reason: `${FRAMEWORK}: a wait loop of one task; its every event is logged, X-Ray would add cost, not insight` },
          { id: 'Serverless-StepFunctionStateMachineXray', reason: `${FRAMEWORK}: a wait loop of one task; its every event is logged, X-Ray would add cost, not insight` },
        ]);
        break;
      default:
        break;
    }
  }
}

/** Suppresses the wildcard finding of an object pattern granted to a role (such as `folder/*`). */
export function suppressObjectPattern(role: IConstruct, pattern: string, reason: string): void {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy) {
    suppressNag(policy, [{ id: 'AwsSolutions-IAM5', reason, appliesTo: [{ regex: `/^Resource::.*\\/${regexLiteral(pattern)}$/` }] }]);
  }
}
