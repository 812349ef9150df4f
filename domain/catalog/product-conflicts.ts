import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from '../shared/app-error.js';

/** Turns a constraint violation on products into the client's error, naming the field. */
export function productConflict(err: unknown): unknown {
  const constraint = (err as { constraint?: string }).constraint;
  if (err instanceof UniqueConstraintViolationException) {
    if (constraint === 'products_merchant_sku_key') return conflict('sku', 'This merchant already has a product with this SKU (case-insensitive)');
    if (constraint === 'products_barcode_key') return conflict('barcode', 'Another product already carries this barcode');
  }
  if (err instanceof ForeignKeyConstraintViolationException) {
    if (constraint === 'products_merchant_id_fkey') {
      return AppError.validation([{ path: 'merchantId', message: 'No such merchant' }]);
    }
    return new AppError('CONFLICT', 'The product is referenced by orders and cannot be deleted; deactivate it instead');
  }
  return err;
}

function conflict(path: string, message: string): AppError {
  return new AppError('CONFLICT', message, { errors: [{ path, message: 'already in use' }] });
}
