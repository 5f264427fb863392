/**
 * s3rver deletes the keys of one DeleteObjects request in parallel, and each delete then removes
 * the folders it emptied: two keys of one folder race (one reads a folder the other just removed),
 * and s3rver answers 500 to a request S3 serves, which the SDK then sends again. The objects are
 * gone by then; only the tidying of folders failed, so that failure is not the request's.
 */

/** The part of s3rver's filesystem store this touches. */
export interface DeletingStore {
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** Folder tidying that lost a race to a concurrent delete (ENOENT) or write (ENOTEMPTY). */
const LOST_RACE = new Set(['ENOENT', 'ENOTEMPTY']);

/** Makes the store's deletes tolerate each other. */
export function tolerateConcurrentDeletes(store: DeletingStore): void {
  const deleteObject = store.deleteObject.bind(store);
  store.deleteObject = async (bucket, key) => {
    try {
      await deleteObject(bucket, key);
    } catch (e) {
      if (!LOST_RACE.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  };
}
