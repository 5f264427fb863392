/** The intrinsics our templates use resolve as CloudFormation resolves them; anything else is refused by name. */
import { IntrinsicContext, resolveIntrinsics } from '../../local-runner';
import { referencedNames } from '../../local-runner/intrinsics';

const context: IntrinsicContext = {
  pseudo: { accountId: '111122223333', region: 'eu-west-1', partition: 'aws', stackName: 'S', stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/S/abc', urlSuffix: 'amazonaws.com' },
  ref: (name) => {
    if (name === 'Bucket') return 'bucket-physical';
    throw new Error(`unknown ${name}`);
  },
  getAtt: (name, attribute) => `${name}|${attribute}`,
};

test('Ref resolves pseudo parameters and resources', () => {
  // GIVEN / WHEN / THEN
  expect(resolveIntrinsics({ Ref: 'AWS::AccountId' }, context)).toBe('111122223333');
  expect(resolveIntrinsics({ Ref: 'AWS::Region' }, context)).toBe('eu-west-1');
  expect(resolveIntrinsics({ Ref: 'AWS::Partition' }, context)).toBe('aws');
  expect(resolveIntrinsics({ Ref: 'AWS::StackName' }, context)).toBe('S');
  expect(resolveIntrinsics({ Ref: 'AWS::StackId' }, context)).toBe(context.pseudo.stackId);
  expect(resolveIntrinsics({ Ref: 'AWS::URLSuffix' }, context)).toBe('amazonaws.com');
  expect(resolveIntrinsics({ Ref: 'Bucket' }, context)).toBe('bucket-physical');
});

test('Fn::GetAtt keeps dotted attribute names whole, in both forms', () => {
  expect(resolveIntrinsics({ 'Fn::GetAtt': ['Model', 'StorageLocation.Bucket'] }, context)).toBe('Model|StorageLocation.Bucket');
  expect(resolveIntrinsics({ 'Fn::GetAtt': 'Model.StorageLocation.Bucket' }, context)).toBe('Model|StorageLocation.Bucket');
});

test('Fn::Sub replaces pseudo parameters, resources, attributes and its own variables, and keeps ${!literals}', () => {
  expect(resolveIntrinsics({ 'Fn::Sub': 'cdk-${AWS::AccountId}-${AWS::Region}/${Bucket}/${Model.Arn}/${!Literal}' }, context))
    .toBe('cdk-111122223333-eu-west-1/bucket-physical/Model|Arn/${Literal}');
  expect(resolveIntrinsics({ 'Fn::Sub': ['${Name}-${AWS::Region}', { Name: { Ref: 'Bucket' } }] }, context)).toBe('bucket-physical-eu-west-1');
});

test('Fn::Join, Fn::Select and Fn::Split compose', () => {
  const split = { 'Fn::Split': ['/', { 'Fn::Join': ['/', ['a', { Ref: 'Bucket' }, 'c']] }] };
  expect(resolveIntrinsics(split, context)).toEqual(['a', 'bucket-physical', 'c']);
  expect(resolveIntrinsics({ 'Fn::Select': [1, split] }, context)).toBe('bucket-physical');
});

test('intrinsics nested in objects and lists resolve, and AWS::NoValue removes the property', () => {
  const value = { A: [{ Ref: 'Bucket' }, 'x'], B: { Ref: 'AWS::NoValue' }, C: { D: { 'Fn::Join': ['-', ['p', 'q']] } } };
  expect(resolveIntrinsics(value, context)).toEqual({ A: ['bucket-physical', 'x'], C: { D: 'p-q' } });
});

test('an unknown intrinsic is an error that names it', () => {
  expect(() => resolveIntrinsics({ X: { 'Fn::If': ['Cond', 'a', 'b'] } }, context)).toThrow('Unsupported intrinsic Fn::If');
  expect(() => resolveIntrinsics({ 'Fn::Base64': 'x' }, context)).toThrow('Unsupported intrinsic Fn::Base64');
});

test('an out-of-range Fn::Select is an error', () => {
  expect(() => resolveIntrinsics({ 'Fn::Select': [3, ['a']] }, context)).toThrow('Fn::Select index 3 is out of range');
});

test('the names a value refers to include Refs, GetAtts and Sub variables, but not pseudo parameters or local variables', () => {
  const value = {
    A: { Ref: 'Bucket' },
    B: { 'Fn::GetAtt': ['Role', 'Arn'] },
    C: { 'Fn::Sub': ['${Fn}-${AWS::Region}-${Local}-${Queue.Arn}-${!Escaped}', { Local: 'x' }] },
  };
  expect([...referencedNames(value)].sort()).toEqual(['Bucket', 'Fn', 'Queue', 'Role']);
});
