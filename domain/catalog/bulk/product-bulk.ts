import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '../../shared/domain-events.js';
import { openCopy } from '../../shared/pg-copy.js';
import type { ProductImportRow } from '../catalog.schemas.js';
import { diffStage, type StagedDiff } from './product-diff.js';
import { copyStageSql, createStage, dropStage, prepareStage, stageLine, stageTable, type PreparedStage } from './product-staging.js';
import { writeStagedBatch, type BatchOutcome } from './product-upsert.js';
import type { RowRange } from './barcode-conflicts.js';
import type { ImportField } from './import-fields.js';

/** A staging table being filled by COPY, one validated row at a time. */
export interface StageWriter {
  write(rowNo: number, row: ProductImportRow): Promise<void>;
  /** Ends the COPY; resolves with the rows stored. */
  finish(): Promise<number>;
  abort(reason: Error): Promise<void>;
}

/**
 * The catalog's bulk operations on products, for imports: a staging table per import (COPY), its
 * preparation (duplicates, barcode clashes), set-based batch upserts and a read-only diff. The SQL
 * against `products` stays in the catalog; the import pipeline only calls these.
 */
export class ProductBulk {
  constructor(private readonly em: EntityManager) {}

  /** Creates the (empty) staging table of `stageId` and starts streaming rows into it. */
  async openStage(stageId: string): Promise<StageWriter> {
    const table = stageTable(stageId);
    await createStage(this.em, table);
    const copy = await openCopy(this.em, copyStageSql(table));
    return {
      write: (rowNo, row) => copy.write(stageLine(rowNo, row)),
      finish: () => copy.finish(),
      abort: (reason) => copy.abort(reason),
    };
  }

  /** Resolves duplicates and barcode clashes inside the staged file and drops what would change nothing for the merchant; see prepareStage. */
  prepare(stageId: string, merchantId: string, fields: readonly ImportField[]): Promise<PreparedStage> {
    return prepareStage(this.em, stageTable(stageId), merchantId, fields);
  }

  /** Writes the staged rows of `range` for the merchant, inside the caller's transaction. */
  writeBatch(tx: EntityManager, emit: Emit, stageId: string, merchantId: string, fields: readonly ImportField[], range: RowRange): Promise<BatchOutcome> {
    return writeStagedBatch(tx, emit, { table: stageTable(stageId), merchantId, fields, ...range });
  }

  /** What writing the prepared stage would do, without writing the catalog. */
  diff(stageId: string, merchantId: string, fields: readonly ImportField[]): Promise<StagedDiff> {
    return diffStage(this.em, stageTable(stageId), merchantId, fields);
  }

  dropStage(stageId: string): Promise<void> {
    return dropStage(this.em, stageTable(stageId));
  }
}
