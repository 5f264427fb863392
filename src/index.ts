export { PanoramaPackageImport, PanoramaPackageImportProps, PackageImportJobType } from './panorama-package-import';
export { PackageSource, DirectorySourceOptions } from './package-source';
