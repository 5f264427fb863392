/** The local runner: deploys a cloud assembly's Panorama imports against the local emulators. */
export { LocalDeployer, DeploymentError } from './deployer';
export type { LocalDeployerOptions, DeployOptions, DeployResult, StackResult, ResourceResult, ResourceStatus } from './deployer';
export type { Redelivery, RedeliveryPolicy } from './custom-resources';
export type { CustomResourceRequest, CustomResourceResponse, ProviderBinding, WaiterPolicy } from './provider-framework';
export { handleCustomResourceRequest, waiterPolicy, CREATE_FAILED_PHYSICAL_ID_MARKER } from './provider-framework';
export { readCloudAssembly } from './cloud-assembly';
export type { CloudAssembly, StackArtifact, CfnTemplate, FileAsset } from './cloud-assembly';
export { resolveIntrinsics } from './intrinsics';
export type { IntrinsicContext, PseudoParameters } from './intrinsics';
export { publishFileAssets } from './asset-publisher';
export type { AssetPublishReport } from './asset-publisher';
export { emptyState, loadState, saveState } from './state';
export type { RunnerState, StackState, ResourceState } from './state';
export { PANORAMA_IMPORT_TYPE } from './resource-types';
export type { Logger } from './logger';
export type { HandlerLogSink } from './environment';
