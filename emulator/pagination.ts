import { createHmac, randomBytes } from 'crypto';
import { fieldError } from './errors';
import { CONSTRAINTS, requireString } from './input-validation';
import { OperationName } from './routes';

/** One page of a list and the token for the next, if any. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Signs the tokens of this process: a token is opaque to the client, and one the emulator never
 * issued, or issued for another list operation, is refused rather than read as an offset.
 */
const TOKEN_KEY = randomBytes(32);

/** Cuts a page out of a list; `tokenField` is the query parameter the token came in. */
export function paginate<T>(all: readonly T[], pageSize: number, token: string | null, tokenField: string, operation: OperationName): Page<T> {
  const offset = token === null ? 0 : decodeToken(requireString(token, tokenField, CONSTRAINTS.NextToken), tokenField, operation);
  const items = all.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return { items, nextToken: next < all.length ? encodeToken(operation, next) : undefined };
}

function encodeToken(operation: OperationName, offset: number): string {
  const payload = Buffer.from(JSON.stringify({ operation, offset })).toString('base64url');
  return `${payload}.${signature(payload)}`;
}

function decodeToken(token: string, field: string, operation: OperationName): number {
  const [payload, mac, ...rest] = token.split('.');
  if (rest.length === 0 && payload && mac === signature(payload)) {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { operation: string; offset: number };
    if (decoded.operation === operation) return decoded.offset;
  }
  throw fieldError(field, `'${token}' is not a token that ${operation} issued.`);
}

function signature(payload: string): string {
  return createHmac('sha256', TOKEN_KEY).update(payload).digest('base64url');
}
