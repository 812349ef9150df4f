/**
 * The CSV import types `POST /imports?type=` accepts. Adding one: implement ImportType
 * (import-type.ts) next to `types/products-import.ts` and register it in index.ts.
 */
export const IMPORT_TYPES = ['products'] as const;
export type ImportTypeName = (typeof IMPORT_TYPES)[number];
