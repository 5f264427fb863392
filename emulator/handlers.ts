import {
  createApplicationInstance, describeApplicationInstance, describeApplicationInstanceDetails, listApplicationInstanceDependencies,
  listApplicationInstanceNodeInstances, listApplicationInstances, removeApplicationInstance,
} from './application-instance-operations';
import {
  createNodeFromTemplateJob, describeNode, describeNodeFromTemplateJob, listNodeFromTemplateJobs, listNodes,
} from './camera-operations';
import { deleteDevice, describeDevice, listDevices, provisionDevice } from './device-operations';
import { createPackageImportJob, describePackageImportJob, listPackageImportJobs } from './import-job-operations';
import { OperationHandler } from './operation-context';
import {
  createPackage,
  deletePackage,
  deregisterPackageVersion,
  describePackage,
  describePackageVersion,
  listPackages,
  registerPackageVersion,
} from './package-operations';
import { OperationName } from './routes';
import { listTagsForResource, tagResource, untagResource } from './tag-operations';

/** The handler of every served operation. */
export const HANDLERS: Readonly<Record<OperationName, OperationHandler>> = {
  CreatePackageImportJob: createPackageImportJob,
  DescribePackageImportJob: describePackageImportJob,
  ListPackageImportJobs: listPackageImportJobs,
  CreatePackage: createPackage,
  DescribePackage: describePackage,
  ListPackages: listPackages,
  DeletePackage: deletePackage,
  DescribePackageVersion: describePackageVersion,
  RegisterPackageVersion: registerPackageVersion,
  DeregisterPackageVersion: deregisterPackageVersion,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  CreateApplicationInstance: createApplicationInstance,
  DescribeApplicationInstance: describeApplicationInstance,
  DescribeApplicationInstanceDetails: describeApplicationInstanceDetails,
  ListApplicationInstances: listApplicationInstances,
  RemoveApplicationInstance: removeApplicationInstance,
  ListApplicationInstanceDependencies: listApplicationInstanceDependencies,
  ListApplicationInstanceNodeInstances: listApplicationInstanceNodeInstances,
  ProvisionDevice: provisionDevice,
  DescribeDevice: describeDevice,
  ListDevices: listDevices,
  DeleteDevice: deleteDevice,
  CreateNodeFromTemplateJob: createNodeFromTemplateJob,
  DescribeNodeFromTemplateJob: describeNodeFromTemplateJob,
  ListNodeFromTemplateJobs: listNodeFromTemplateJobs,
  ListNodes: listNodes,
  DescribeNode: describeNode,
};
