/**
 * The emulator's table of the errors each operation may answer is the Panorama model's: checked
 * against the `@throws` of every command in the pinned @aws-sdk/client-panorama.
 */
import * as fs from 'fs';
import * as path from 'path';
import { injectableErrors, mayAnswerWith, OPERATION_ERRORS, THROTTLING_ERROR, UNLISTED_VALIDATION } from '../../emulator/operation-errors';
import { OPERATIONS } from '../../emulator/routes';

const COMMANDS = path.join(path.dirname(require.resolve('@aws-sdk/client-panorama')), '..', 'dist-types', 'commands');

/** The errors the SDK's documentation of a command says it throws, besides the service's base class. */
function modelledErrors(operation: string): string[] {
  const text = fs.readFileSync(path.join(COMMANDS, `${operation}Command.d.ts`), 'utf8');
  return [...text.matchAll(/@throws \{@link (\w+)\}/g)].map((match) => match[1]).filter((name) => name !== 'PanoramaServiceException').sort();
}

test.each([...OPERATIONS])('%s may answer exactly the errors the pinned model lists for it', (operation) => {
  // GIVEN the model's list for the operation
  const listed = modelledErrors(operation);
  // THEN the emulator's table holds the same errors
  expect([...OPERATION_ERRORS[operation]].sort()).toEqual(listed);
  // AND the operations whose model lists no ValidationException are exactly those that answer it unlisted
  expect(UNLISTED_VALIDATION.has(operation)).toBe(!listed.includes('ValidationException'));
  expect(mayAnswerWith(operation, 'ValidationException')).toBe(true);
});

test('the unlisted ValidationException is answered, never injected', () => {
  // GIVEN / WHEN / THEN
  expect([...UNLISTED_VALIDATION].sort()).toEqual(['ListApplicationInstanceDependencies', 'ListApplicationInstanceNodeInstances', 'ListApplicationInstances']);
  for (const operation of UNLISTED_VALIDATION) expect(injectableErrors(operation)).not.toContain('ValidationException');
});

test('throttling may be injected everywhere; a quota error nowhere the model is silent', () => {
  // GIVEN / WHEN / THEN
  const withQuota = ['CreateApplicationInstance', 'ProvisionDevice'];
  for (const operation of OPERATIONS) {
    expect(injectableErrors(operation)).toContain(THROTTLING_ERROR);
    expect(mayAnswerWith(operation, 'ServiceQuotaExceededException')).toBe(withQuota.includes(operation));
  }
  expect(mayAnswerWith('DescribePackage', 'ResourceNotFoundException')).toBe(true);
  expect(mayAnswerWith('DescribePackageImportJob', 'ResourceNotFoundException')).toBe(false);
});
