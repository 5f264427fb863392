/** Reading what a PanoramaApplication synthesizes: its instance, its imports, its payload resolved. */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApplicationFixture } from './application-fixture';
import { onlyResource, TEST_ENV } from './stacks';
import { PanoramaApplication, PanoramaApplicationProps } from '../../src';

export const INSTANCE = 'AWS::Panorama::ApplicationInstance';
export const IMPORT = 'Custom::PanoramaPackageImport';

/** A new App and Stack holding one application of the fixture's project. */
export function synthApplication(
  fixture: ApplicationFixture,
  props: Partial<PanoramaApplicationProps> = {},
  stackProps: StackProps = { env: TEST_ENV },
): { stack: Stack; application: PanoramaApplication; template: Template } {
  const stack = new Stack(new App(), 'AppStack', stackProps);
  const application = new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-0123', ...props });
  return { stack, application, template: Template.fromStack(stack) };
}

/** The application instance's properties. */
export function instanceProperties(template: Template): Record<string, any> {
  return onlyResource(template, INSTANCE).Properties;
}

/**
 * The manifest payload as CloudFormation would resolve it: `{Ref: AWS::AccountId}` is `account`,
 * and each import's `PatchVersion` attribute is `patchOf(logicalId)`.
 */
export function resolvedPayloadText(template: Template, account: string, patchOf: (logicalId: string) => string = (id) => `patch-of-${id}`): string {
  const data = instanceProperties(template).ManifestPayload.PayloadData;
  if (typeof data === 'string') return data;
  const [separator, parts] = data['Fn::Join'];
  return (parts as unknown[]).map((part: any) => {
    if (typeof part === 'string') return part;
    if (part.Ref === 'AWS::AccountId') return account;
    if (part['Fn::GetAtt']?.[1] === 'PatchVersion') return patchOf(part['Fn::GetAtt'][0]);
    throw new Error(`unexpected token in the payload: ${JSON.stringify(part)}`);
  }).join(separator);
}

/** The resolved payload, parsed. */
export function resolvedPayload(template: Template, account = TEST_ENV.account, patchOf?: (logicalId: string) => string): any {
  return JSON.parse(resolvedPayloadText(template, account, patchOf));
}

/** Logical id of each import, by its PackageName property. */
export function importIds(template: Template): Record<string, string> {
  return Object.fromEntries(Object.entries(template.findResources(IMPORT)).map(([id, r]: [string, any]) => [r.Properties.PackageName, id]));
}
