export { PanoramaPackageImport, PackageImportJobType } from './panorama-package-import';
export type { PackageImportOptions, PanoramaPackageImportProps } from './panorama-package-import';
export { PanoramaApplication } from './panorama-application';
export type { PanoramaApplicationProps } from './panorama-application';
export { PackageSource } from './package-source';
export type { DirectorySourceOptions } from './package-source';
