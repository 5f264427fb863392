/** What panorama-local prints: events in cdk deploy's columns, outputs as Stack.OutputKey = value, a summary of what it hides. */
import { EventPrinter, formatEvent, formatOutputs, typeColumnWidth } from '../../local-runner/event-printer';
import { StackEvent } from '../../local-runner/stack-events';

const AT = new Date(2026, 0, 2, 3, 4, 5);

function event(overrides: Partial<StackEvent>): StackEvent {
  return { timestamp: AT, stackName: 'Stack', logicalId: 'Model0301700E', resourceType: 'Custom::PanoramaPackageImport', status: 'CREATE_COMPLETE', recordedOnly: false, ...overrides };
}

test('a resource event: stack, time, status, type, construct path with logical id, reason', () => {
  expect(formatEvent(event({ status: 'CREATE_FAILED', constructPath: 'Model/Resource/Default', reason: 'Panorama import job j FAILED: bad' })))
    .toBe('Stack | 03:04:05 | CREATE_FAILED        | Custom::PanoramaPackageImport | Model/Resource/Default (Model0301700E) Panorama import job j FAILED: bad');
});

test('without a construct path, the logical id; for the stack itself, its name', () => {
  expect(formatEvent(event({}))).toBe('Stack | 03:04:05 | CREATE_COMPLETE      | Custom::PanoramaPackageImport | Model0301700E');
  expect(formatEvent(event({ logicalId: 'Stack', resourceType: 'AWS::CloudFormation::Stack', status: 'UPDATE_IN_PROGRESS' })))
    .toBe('Stack | 03:04:05 | UPDATE_IN_PROGRESS   | AWS::CloudFormation::Stack    | Stack');
});

test('the type column is as wide as the longest type shown, as cdk sizes it, and never narrower than the imports need', () => {
  // GIVEN the types of an application's stack
  const width = typeColumnWidth(['AWS::CloudFormation::Stack', 'Custom::PanoramaPackageImport', 'AWS::Panorama::ApplicationInstance']);
  // WHEN lines of each are formatted / THEN their columns line up
  const lines = [
    formatEvent(event({}), width),
    formatEvent(event({ logicalId: 'Counter', resourceType: 'AWS::Panorama::ApplicationInstance' }), width),
  ];
  expect(lines.map((line) => line.lastIndexOf(' | '))).toEqual([lines[0].lastIndexOf(' | '), lines[0].lastIndexOf(' | ')]);
  expect(lines[1]).toBe('Stack | 03:04:05 | CREATE_COMPLETE      | AWS::Panorama::ApplicationInstance | Counter');
  expect(typeColumnWidth(['AWS::S3::Bucket'])).toBe('Custom::PanoramaPackageImport'.length);
});

test('outputs, one per line, stack by stack', () => {
  expect(formatOutputs([{ stackName: 'A', outputs: { One: '1', Two: 'x = y' } }, { stackName: 'B', outputs: {} }])).toEqual(['A.One = 1', 'A.Two = x = y']);
});

test('recorded-only resources are counted once per stack unless verbose; their failures are always printed', () => {
  // GIVEN a quiet printer
  const lines: string[] = [];
  const printer = new EventPrinter((line) => lines.push(line), false);

  // WHEN it receives events of types the runner only records, and one shown event
  printer.event(event({ resourceType: 'AWS::IAM::Role', status: 'CREATE_IN_PROGRESS', recordedOnly: true }));
  printer.event(event({ resourceType: 'AWS::IAM::Role', recordedOnly: true }));
  printer.event(event({ resourceType: 'AWS::IAM::Role', status: 'DELETE_COMPLETE', recordedOnly: true }));
  printer.event(event({ resourceType: 'AWS::IAM::Role', logicalId: 'Other', recordedOnly: true }));
  printer.event(event({ resourceType: 'AWS::Lambda::Function', recordedOnly: true }));
  printer.event(event({ resourceType: 'AWS::IAM::Policy', status: 'CREATE_FAILED', reason: 'no', recordedOnly: true }));
  printer.event(event({}));

  // THEN the failure and the shown event are printed, and the rest summed up once
  expect(lines).toEqual([
    'Stack | 03:04:05 | CREATE_FAILED        | AWS::IAM::Policy              | Model0301700E no',
    'Stack | 03:04:05 | CREATE_COMPLETE      | Custom::PanoramaPackageImport | Model0301700E',
  ]);
  expect(printer.recordedOnlySummary('Stack'))
    .toBe('Stack | not shown: 3 resource(s) that the local runner records without emulating them (2 AWS::IAM::Role, 1 AWS::Lambda::Function); --verbose shows them');
  expect(printer.recordedOnlySummary('Stack')).toBeUndefined();
});

test('verbose prints every event', () => {
  const lines: string[] = [];
  const printer = new EventPrinter((line) => lines.push(line), true);
  printer.event(event({ resourceType: 'AWS::IAM::Role', recordedOnly: true }));
  expect(lines).toHaveLength(1);
  expect(printer.recordedOnlySummary('Stack')).toBeUndefined();
});
