import { AppError } from '../shared/app-error.js';
import type { Actor } from '../shared/actor.js';

/** Who reads or writes the catalog (absent for an anonymous reader). */
export type Caller = Actor;

/** Admins manage every product, merchants their own. */
export function canManage(caller: Caller | undefined, merchantId: string): boolean {
  return !!caller && (caller.role === 'admin' || caller.id === merchantId);
}

/** Inactive products are visible to their manager only. */
export function canView(caller: Caller | undefined, product: { merchantId: string; active: boolean }): boolean {
  return product.active || canManage(caller, product.merchantId);
}

/** Another merchant's product is answered as missing, so ids of others' products leak nothing. */
export function productNotFound(): AppError {
  return new AppError('NOT_FOUND', 'Product not found');
}

/** The merchant a new product belongs to: the caller, or for an admin the merchant it names. */
export function owningMerchant(caller: Caller, requested: string | undefined): string {
  if (caller.role === 'admin') {
    if (!requested) throw AppError.validation([{ path: 'merchantId', message: 'An admin must name the merchant' }]);
    return requested;
  }
  if (requested && requested !== caller.id) {
    throw AppError.validation([{ path: 'merchantId', message: 'Only an admin may create products for another merchant' }]);
  }
  return caller.id;
}
