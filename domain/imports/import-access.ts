import { canManage, owningMerchant } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { ImportRecord } from './import-record.js';

/** Whose catalog an operation works on: the calling merchant's, or the merchant an admin names. */
export async function operationOwner(caller: Actor, requested: string | undefined, users: Pick<UserDirectory, 'isMerchant'>): Promise<string> {
  const merchantId = owningMerchant(caller, requested);
  if (caller.role === 'admin' && !(await users.isMerchant(merchantId))) {
    throw AppError.validation([{ path: 'merchantId', message: 'No such merchant' }]);
  }
  return merchantId;
}

/** The import if the caller may see it (its merchant, an admin); anyone else is told it does not exist. */
export function visibleImport(caller: Actor, record: ImportRecord | null): ImportRecord {
  if (!record || !canManage(caller, record.merchantId)) throw new AppError('NOT_FOUND', 'Import not found');
  return record;
}
