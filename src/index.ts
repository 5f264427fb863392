export { PanoramaPackageImport, PackageImportJobType } from './package-import/panorama-package-import';
export type { PanoramaPackageImportProps } from './package-import/panorama-package-import';
export type { PackageImportOptions } from './package-import/package-import-options';
export { PanoramaApplication } from './application/panorama-application';
export type { PanoramaApplicationProps } from './application/panorama-application';
export { PackageSource } from './package-import/package-source';
export type { DirectorySourceOptions } from './package-import/directory-package';
export { PackageBuild } from './package-import/build/package-build';
export type { ContainerBuildOptions, ModelBuildOptions } from './package-import/build/package-build';
