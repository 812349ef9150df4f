import { randomUUID } from 'node:crypto';
import type { UserDirectory } from '../identity/index.js';
import { AppError } from '../shared/app-error.js';
import { planColumns, type ColumnPlan } from './csv-columns.js';
import { stageCsv, type StagingProgress } from './csv-stager.js';
import { operationOwner } from './import-access.js';
import type { ImportType } from './import-type.js';
import type { DryRunResult, Rejection } from './imports.schemas.js';
import type { Upload } from './upload-intake.js';
import { UploadInspector } from './upload-inspector.js';

const LISTED = 100;

export interface DryRunParts {
  users: Pick<UserDirectory, 'isMerchant'>;
  types: ReadonlyMap<string, ImportType>;
  maxBytes: number;
}

/** The first `LISTED` rejections by row, from any number of pages. */
class FirstRejections {
  private list: Rejection[] = [];
  count = 0;

  add(page: readonly Rejection[]): void {
    this.count += page.length;
    this.list.push(...page);
    if (this.list.length > 4 * LISTED) this.trim();
  }

  first(): Rejection[] {
    this.trim();
    return this.list;
  }

  private trim(): void {
    this.list = this.list.sort((a, b) => a.row - b.row).slice(0, LISTED);
  }
}

/**
 * `?dryRun=true`: the file is checked, read and staged exactly as an import would, then compared with
 * the merchant's catalog by the type's own rules. The catalog is not written, no import is recorded,
 * and the scratch staging table is dropped.
 */
export class DryRun {
  constructor(private readonly p: DryRunParts) {}

  async run(upload: Upload): Promise<DryRunResult> {
    const type = this.p.types.get(upload.query.type)!;
    const merchantId = await operationOwner(upload.caller, upload.query.merchantId, this.p.users);
    if (upload.declaredBytes !== null && upload.declaredBytes > this.p.maxBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `The file exceeds the import size limit of ${this.p.maxBytes} bytes`, { limit: this.p.maxBytes });
    }
    let headerChecked: (plan: ColumnPlan) => void = () => {};
    const inspector = new UploadInspector({
      limit: this.p.maxBytes,
      check: (_head, header) => headerChecked(planColumns(type.columns, header, { ignoreUnknownColumns: upload.query.ignoreUnknownColumns })),
    });
    const planned = new Promise<ColumnPlan>((resolve, reject) => {
      headerChecked = resolve;
      inspector.once('error', reject);
    });
    upload.body.once('error', (err) => inspector.destroy(err));
    upload.body.pipe(inspector);
    try {
      const plan = await planned;
      return await this.compare(type, inspector, plan, merchantId);
    } finally {
      upload.body.unpipe(inspector);
    }
  }

  private async compare(type: ImportType, source: UploadInspector, plan: ColumnPlan, merchantId: string): Promise<DryRunResult> {
    const stageId = randomUUID().replace(/-/g, '');
    const rejections = new FirstRejections();
    const progress: StagingProgress = { bytes: 0, rows: 0, rejected: 0 };
    const sink = await type.openStage(stageId);
    try {
      await stageCsv({ source, type, plan, sink, progress, onRejections: async (page) => rejections.add(page) }).catch(async (err) => {
        await sink.abort(err as Error);
        throw err;
      });
      await sink.finish();
      const prepared = await type.prepare(stageId, merchantId, plan);
      rejections.add(prepared.rejections);
      const diff = await type.diff(stageId, merchantId, plan);
      rejections.add(diff.rejections);
      return {
        wouldInsert: diff.wouldInsert,
        wouldUpdate: diff.wouldUpdate,
        unchanged: prepared.unchanged + diff.unchanged,
        duplicates: prepared.duplicates,
        rejected: rejections.count,
        rejections: rejections.first(),
        ignoredColumns: plan.ignored,
      };
    } finally {
      await type.dropStage(stageId);
    }
  }
}
