/**
 * The CSV import types `POST /imports?type=` accepts. Adding one: implement ImportType
 * (import-type.ts) in the module that owns the target table and hand it to createImportsModule
 * (`products` is built here from the catalog's bulk operations; `transactions` comes from analytics).
 */
export const IMPORT_TYPES = ['products', 'transactions'] as const;
export type ImportTypeName = (typeof IMPORT_TYPES)[number];
