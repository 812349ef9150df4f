import { Migration } from '@mikro-orm/migrations';

/** Idempotency records keep the outcome of the first request (created or refused), not an HTTP status. */
export class Migration20261202000200_idempotency_outcome extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table idempotency_keys add column outcome text not null default 'pending' check (outcome in ('pending', 'created', 'refused'))`);
    this.addSql(`update idempotency_keys set outcome = case when status_code = 0 then 'pending' when status_code < 400 then 'created' else 'refused' end`);
    this.addSql(`alter table idempotency_keys drop column status_code`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table idempotency_keys add column status_code int not null default 0`);
    this.addSql(`update idempotency_keys set status_code = case outcome when 'created' then 201 when 'refused' then 409 else 0 end`);
    this.addSql(`alter table idempotency_keys drop column outcome`);
  }
}
