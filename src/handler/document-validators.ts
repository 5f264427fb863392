/**
 * The compiled schema validators a handler uses: a bucket source's manifest and its descriptors.
 * The onEvent bundle task builds this module into `validators.generated.js` beside index.js, which
 * src/rules/schema/index.ts requires the first time it checks a document (so events that check
 * none, every folder source's, never load it). The graph validators are the construct's and the
 * emulator's only, and stay out.
 */
export { validateAssetDescriptor, validateNodePackage } from '../rules/schema/validators.generated';
