/**
 * A resource's outcome is reported by one call: its progress line, its stack event and its result
 * all follow from it, so they cannot disagree.
 */
import { StackEvent } from '../../local-runner';
import { StackReport } from '../../local-runner/stack-report';

/** A report on stack `S` whose types are reported, except `AWS::Lambda::Function`; only `Custom::Import` traces "no change". */
function newReport(stackPath?: string): { report: StackReport; lines: string[]; events: StackEvent[] } {
  const lines: string[] = [];
  const events: StackEvent[] = [];
  const report = new StackReport({
    stackName: 'S',
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1',
    log: (line) => lines.push(line),
    events: (event) => events.push(event),
    typeOf: (type) => ({ reported: type !== 'AWS::Lambda::Function', tracesUnchanged: type === 'Custom::Import' }),
    stackPath,
    constructPath: (logicalId) => `${stackPath ?? 'S'}/${logicalId}/Resource`,
  });
  return { report, lines, events };
}

test('a success gives a line with the physical id, an event and a result with the attributes', () => {
  // GIVEN a report
  const { report, lines, events } = newReport();

  // WHEN a bucket's creation completes
  report.outcome({ verb: 'create', logicalId: 'Bucket', type: 'AWS::S3::Bucket', status: 'CREATE_COMPLETE', physicalId: 'b-1', attributes: { Arn: 'arn:aws:s3:::b-1' } });

  // THEN the three agree
  expect(lines).toEqual(['create Bucket (AWS::S3::Bucket): CREATE_COMPLETE physical id b-1']);
  expect(events).toMatchObject([{ logicalId: 'Bucket', status: 'CREATE_COMPLETE', physicalId: 'b-1', constructPath: 'Bucket/Resource', recordedOnly: false }]);
  expect(report.result('CREATE_COMPLETE', {}).resources).toEqual([
    { stackName: 'S', logicalId: 'Bucket', type: 'AWS::S3::Bucket', status: 'CREATE_COMPLETE', physicalId: 'b-1', attributes: { Arn: 'arn:aws:s3:::b-1' } },
  ]);
});

test('a failure gives its message in the line, the event (on one line) and the result', () => {
  // GIVEN a report
  const { report, lines, events } = newReport();

  // WHEN an update fails with a two-line message
  report.outcome({ verb: 'update', logicalId: 'Fn', type: 'AWS::Lambda::Function', status: 'UPDATE_FAILED', physicalId: 'fn', error: 'bad\n  code' });

  // THEN the line is written even for a type that is only recorded; the event keeps the reason on one line
  expect(lines).toEqual(['update Fn (AWS::Lambda::Function): UPDATE_FAILED: bad\n  code']);
  expect(events).toMatchObject([{ status: 'UPDATE_FAILED', reason: 'bad code', recordedOnly: true }]);
  expect(report.statusOf('Fn')).toBe('UPDATE_FAILED');
  expect(report.result('UPDATE_ROLLBACK_COMPLETE', {}).resources[0]).toMatchObject({ reason: 'bad\n  code', attributes: {} });
});

test('a success of a type that is only recorded gives no line, but its event and result', () => {
  // GIVEN a report, WHEN a function's creation completes
  const { report, lines, events } = newReport();
  report.outcome({ verb: 'create', logicalId: 'Fn', type: 'AWS::Lambda::Function', status: 'CREATE_COMPLETE', physicalId: 'fn' });

  // THEN no line; an event marked recorded-only; a result
  expect(lines).toEqual([]);
  expect(events).toMatchObject([{ status: 'CREATE_COMPLETE', recordedOnly: true }]);
  expect(report.statusOf('Fn')).toBe('CREATE_COMPLETE');
});

test('a retained resource: its policy in the line and the event reason', () => {
  // GIVEN a report, WHEN a retained bucket's deletion is skipped
  const { report, lines, events } = newReport();
  report.outcome({ verb: 'delete', logicalId: 'Bucket', type: 'AWS::S3::Bucket', status: 'DELETE_SKIPPED', physicalId: 'b-1', retainedBy: 'Retain' });

  // THEN the line and the event name the policy
  expect(lines).toEqual(['delete Bucket (AWS::S3::Bucket): DELETE_SKIPPED (Retain)']);
  expect(events).toMatchObject([{ status: 'DELETE_SKIPPED', reason: 'DeletionPolicy Retain' }]);
});

test('an outcome that is not the resource\'s own status (a replaced resource\'s deletion) is a line and an event, not a result', () => {
  // GIVEN a report, WHEN the cleanup deletes a replaced physical resource
  const { report, lines, events } = newReport();
  report.outcome({
    verb: 'delete (cleanup)', logicalId: 'Import', type: 'Custom::Import', status: 'DELETE_COMPLETE', physicalId: 'old', note: 'the replaced physical resource old', recorded: false,
  });

  // THEN a line and an event with the note; the resource keeps no result from it
  expect(lines).toEqual(['delete (cleanup) Import (Custom::Import): DELETE_COMPLETE physical id old']);
  expect(events).toMatchObject([{ status: 'DELETE_COMPLETE', reason: 'the replaced physical resource old' }]);
  expect(report.result('UPDATE_COMPLETE', {}).resources).toEqual([]);
});

test('no change is a result and no event; a line only for a type that traces it', () => {
  // GIVEN a report, WHEN an import and a bucket are unchanged
  const { report, lines, events } = newReport();
  report.outcome({ verb: 'update', logicalId: 'Import', type: 'Custom::Import', status: 'NO_CHANGE', physicalId: 'i' });
  report.outcome({ verb: 'update', logicalId: 'Bucket', type: 'AWS::S3::Bucket', status: 'NO_CHANGE', physicalId: 'b' });

  // THEN one line, for the import; no event; both results
  expect(lines).toEqual(['update Import (Custom::Import): no change']);
  expect(events).toEqual([]);
  expect(report.result('UPDATE_COMPLETE', {}).resources.map((r) => r.status)).toEqual(['NO_CHANGE', 'NO_CHANGE']);
  expect(report.begun).toBe(false);
});

test('a resource not started is a result only', () => {
  // GIVEN a report, WHEN a resource never started
  const { report, lines, events } = newReport();
  report.outcome({ verb: 'deploy', logicalId: 'Late', type: 'AWS::S3::Bucket', status: 'NOT_STARTED' });

  // THEN no line, no event, a result
  expect([lines, events]).toEqual([[], []]);
  expect(report.statusOf('Late')).toBe('NOT_STARTED');
});

test('the responses of a request delivered more than once stay on the resource\'s result', () => {
  // GIVEN a report with a duplicate response recorded for an import
  const { report } = newReport();
  const duplicate = { Status: 'SUCCESS' as const, PhysicalResourceId: 'job-1' };
  report.recordDuplicates('Import', [duplicate]);

  // WHEN its outcome is reported, THEN its result carries the duplicate
  report.outcome({ verb: 'create', logicalId: 'Import', type: 'Custom::Import', status: 'CREATE_COMPLETE', physicalId: 'job-1' });
  expect(report.result('CREATE_COMPLETE', {}).resources[0].duplicateResponses).toEqual([duplicate]);
});

test('in a Stage, the construct path is shown from the stack down, as for a top-level stack', () => {
  // GIVEN a report on the stack at Dev/S
  const { report, events } = newReport('Dev/S');

  // WHEN a resource's creation completes
  report.outcome({ verb: 'create', logicalId: 'Bucket', type: 'AWS::S3::Bucket', status: 'CREATE_COMPLETE', physicalId: 'b-1' });

  // THEN its event names it without the stage and the stack
  expect(events).toMatchObject([{ constructPath: 'Bucket/Resource' }]);
});
