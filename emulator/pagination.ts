import { fieldError } from './errors';

/** One page of a list and the token for the next, if any. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Cuts a page out of a list; tokens are opaque offsets, as the SDK paginators expect. */
export function paginate<T>(all: readonly T[], pageSize: number, token: string | null, tokenField: string): Page<T> {
  const offset = token === null ? 0 : decodeToken(token, tokenField);
  const items = all.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return { items, nextToken: next < all.length ? encodeToken(next) : undefined };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeToken(token: string, field: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the validation error below.
  }
  throw fieldError(field, `'${token}' is not a token this service issued.`);
}
