/**
 * The emulator's table of the errors each operation may answer is the Panorama model's: checked
 * against the `@throws` of every command in the pinned @aws-sdk/client-panorama.
 */
import * as fs from 'fs';
import * as path from 'path';
import { injectableErrors, mayAnswerWith, OPERATION_ERRORS, THROTTLING_ERROR } from '../../emulator/operation-errors';
import { OPERATIONS } from '../../emulator/routes';

const COMMANDS = path.join(path.dirname(require.resolve('@aws-sdk/client-panorama')), '..', 'dist-types', 'commands');

/** The errors the SDK's documentation of a command says it throws, besides the service's base class. */
function modelledErrors(operation: string): string[] {
  const text = fs.readFileSync(path.join(COMMANDS, `${operation}Command.d.ts`), 'utf8');
  return [...text.matchAll(/@throws \{@link (\w+)\}/g)].map((match) => match[1]).filter((name) => name !== 'PanoramaServiceException').sort();
}

test.each([...OPERATIONS])('%s may answer exactly the errors the pinned model lists for it', (operation) => {
  // GIVEN the model's list for the operation (never empty: every operation may fail validation)
  const listed = modelledErrors(operation);
  expect(listed).toContain('ValidationException');
  // THEN the emulator's table holds the same errors
  expect([...OPERATION_ERRORS[operation]].sort()).toEqual(listed);
});

test('throttling may be injected everywhere; a quota error nowhere the model is silent', () => {
  // GIVEN / WHEN / THEN
  for (const operation of OPERATIONS) {
    expect(injectableErrors(operation)).toContain(THROTTLING_ERROR);
    expect(mayAnswerWith(operation, 'ServiceQuotaExceededException')).toBe(false);
  }
  expect(mayAnswerWith('DescribePackage', 'ResourceNotFoundException')).toBe(true);
  expect(mayAnswerWith('DescribePackageImportJob', 'ResourceNotFoundException')).toBe(false);
});
