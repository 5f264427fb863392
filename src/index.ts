export { PanoramaPackageImport, PackageImportJobType } from './panorama-package-import';
export type { PanoramaPackageImportProps } from './panorama-package-import';
export { PackageSource } from './package-source';
export type { DirectorySourceOptions } from './package-source';
