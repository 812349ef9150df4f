import { Migration } from '@mikro-orm/migrations';

/**
 * POS sync runs whose worker died while they ran stay `running` in the run log; the next run of the
 * connection marks them `interrupted` (it resumes their work from the checkpoint).
 */
export class Migration20261203005000_pos_run_interrupted extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table analytics_pos_sync_runs drop constraint analytics_pos_sync_runs_outcome_check`);
    this.addSql(
      `alter table analytics_pos_sync_runs add constraint analytics_pos_sync_runs_outcome_check check (outcome in ('running', 'ok', 'failed', 'superseded', 'interrupted'))`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`update analytics_pos_sync_runs set outcome = 'failed' where outcome = 'interrupted'`);
    this.addSql(`alter table analytics_pos_sync_runs drop constraint analytics_pos_sync_runs_outcome_check`);
    this.addSql(
      `alter table analytics_pos_sync_runs add constraint analytics_pos_sync_runs_outcome_check check (outcome in ('running', 'ok', 'failed', 'superseded'))`,
    );
  }
}
