/** The Panorama operations the emulator serves. */
export const OPERATIONS = [
  'CreatePackageImportJob',
  'DescribePackageImportJob',
  'ListPackageImportJobs',
  'CreatePackage',
  'DescribePackage',
  'ListPackages',
  'DeletePackage',
  'DescribePackageVersion',
  'RegisterPackageVersion',
  'DeregisterPackageVersion',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'CreateApplicationInstance',
  'DescribeApplicationInstance',
  'DescribeApplicationInstanceDetails',
  'ListApplicationInstances',
  'RemoveApplicationInstance',
  'ListApplicationInstanceDependencies',
  'ListApplicationInstanceNodeInstances',
  'ProvisionDevice',
  'DescribeDevice',
  'ListDevices',
  'DeleteDevice',
  'CreateNodeFromTemplateJob',
  'DescribeNodeFromTemplateJob',
  'ListNodeFromTemplateJobs',
  'ListNodes',
  'DescribeNode',
] as const;

/** Name of one served operation. */
export type OperationName = typeof OPERATIONS[number];

/** What a request path resolves to. */
export interface RouteMatch {
  readonly operation: OperationName;
  /** Path labels, percent-decoded (so `packageName%2Fx` arrives as `packageName/x`). */
  readonly labels: Readonly<Record<string, string>>;
}

interface Route {
  readonly method: string;
  /** Literal segments, `{Label}` segments, and at most one trailing greedy `{Label+}`. */
  readonly segments: readonly string[];
  readonly operation: OperationName;
}

/** Literal routes come first so that `/packages/import-jobs` never matches `/packages/{PackageId}`. */
const ROUTES: readonly Route[] = [
  route('POST', '/packages/import-jobs', 'CreatePackageImportJob'),
  route('GET', '/packages/import-jobs', 'ListPackageImportJobs'),
  route('GET', '/packages/import-jobs/{JobId}', 'DescribePackageImportJob'),
  route('POST', '/packages/template-job', 'CreateNodeFromTemplateJob'),
  route('GET', '/packages/template-job', 'ListNodeFromTemplateJobs'),
  route('GET', '/packages/template-job/{JobId}', 'DescribeNodeFromTemplateJob'),
  route('POST', '/packages', 'CreatePackage'),
  route('GET', '/packages', 'ListPackages'),
  route('GET', '/packages/metadata/{PackageId}', 'DescribePackage'),
  route('GET', '/packages/metadata/{PackageId}/versions/{PackageVersion}', 'DescribePackageVersion'),
  route('PUT', '/packages/{PackageId}/versions/{PackageVersion}/patch/{PatchVersion}', 'RegisterPackageVersion'),
  route('DELETE', '/packages/{PackageId}/versions/{PackageVersion}/patch/{PatchVersion}', 'DeregisterPackageVersion'),
  route('DELETE', '/packages/{PackageId}', 'DeletePackage'),
  // An ARN holds `/`; the SDK sends it as `%2F`, a hand-written call may not, so the label is greedy.
  route('POST', '/tags/{ResourceArn+}', 'TagResource'),
  route('DELETE', '/tags/{ResourceArn+}', 'UntagResource'),
  route('GET', '/tags/{ResourceArn+}', 'ListTagsForResource'),
  route('POST', '/application-instances', 'CreateApplicationInstance'),
  route('GET', '/application-instances', 'ListApplicationInstances'),
  route('GET', '/application-instances/{ApplicationInstanceId}', 'DescribeApplicationInstance'),
  route('DELETE', '/application-instances/{ApplicationInstanceId}', 'RemoveApplicationInstance'),
  route('GET', '/application-instances/{ApplicationInstanceId}/details', 'DescribeApplicationInstanceDetails'),
  route('GET', '/application-instances/{ApplicationInstanceId}/package-dependencies', 'ListApplicationInstanceDependencies'),
  route('GET', '/application-instances/{ApplicationInstanceId}/node-instances', 'ListApplicationInstanceNodeInstances'),
  route('POST', '/devices', 'ProvisionDevice'),
  route('GET', '/devices', 'ListDevices'),
  route('GET', '/devices/{DeviceId}', 'DescribeDevice'),
  route('DELETE', '/devices/{DeviceId}', 'DeleteDevice'),
  route('GET', '/nodes', 'ListNodes'),
  route('GET', '/nodes/{NodeId}', 'DescribeNode'),
];

/** Finds the operation for a method and raw (still percent-encoded) path, or undefined. */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  // Split before decoding: an encoded `%2F` belongs to its label, it is not a separator.
  const segments = rawPath.replace(/^\/+|\/+$/g, '').split('/');
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const labels = matchSegments(candidate.segments, segments);
    if (labels) return { operation: candidate.operation, labels };
  }
  return undefined;
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      const rest = actual.slice(i);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      labels[greedy[1]] = rest.map(safeDecode).join('/');
      return labels;
    }
    const value = actual[i];
    if (value === undefined || value === '') return undefined;
    const label = /^\{(.+)\}$/.exec(part);
    if (label) labels[label[1]] = safeDecode(value);
    else if (part !== value) return undefined;
  }
  return pattern.length === actual.length ? labels : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is kept verbatim; field validation then rejects it with a clear message.
    return segment;
  }
}

function route(method: string, path: string, operation: OperationName): Route {
  return { method, segments: path.slice(1).split('/'), operation };
}
