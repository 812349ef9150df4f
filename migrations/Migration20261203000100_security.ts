import { Migration } from '@mikro-orm/migrations';

/** Issue #15: verified phones, disabled accounts, per-customer caps, and barcodes unique among products for sale. */
export class Migration20261203000100_security extends Migration {
  override async up(): Promise<void> {
    // A phone belongs to an account only once a code sent to it was entered there. Accounts made by an
    // OTP login (no e-mail, no password) proved their number; numbers typed at registration or in the
    // profile did not, and stay pending until verified.
    this.addSql(`alter table users add column phone_verified boolean not null default false`);
    this.addSql(`update users set phone_verified = true where phone is not null and password_hash is null and email is null`);
    this.addSql(`alter table users add constraint users_phone_verified_check check (phone is not null or not phone_verified)`);
    this.addSql(`drop index users_phone_key`);
    // Pending numbers may repeat (nobody can block a number by typing it); a verified one is one account's.
    this.addSql(`create unique index users_verified_phone_key on users (phone) where phone_verified`);
    this.addSql(`alter table users add column disabled_at timestamptz`);

    this.addSql(`alter table products add column max_per_customer integer check (max_per_customer between 1 and 999)`);
    // A barcode is unique among products for sale only, so a hidden (inactive) product never makes
    // another merchant's create fail, and so never reveals that it exists. Look-ups use the full index.
    this.addSql(`drop index products_barcode_key`);
    this.addSql(`create unique index products_barcode_key on products (lpad(barcode, 14, '0')) where barcode is not null and active`);
    this.addSql(`create index products_barcode_lookup_idx on products (lpad(barcode, 14, '0')) where barcode is not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index products_barcode_lookup_idx`);
    this.addSql(`drop index products_barcode_key`);
    this.addSql(`create unique index products_barcode_key on products (lpad(barcode, 14, '0')) where barcode is not null`);
    this.addSql(`alter table products drop column max_per_customer`);
    this.addSql(`alter table users drop column disabled_at`);
    this.addSql(`drop index users_verified_phone_key`);
    this.addSql(`alter table users drop constraint users_phone_verified_check`);
    this.addSql(`create unique index users_phone_key on users (phone) where phone is not null`);
    this.addSql(`alter table users drop column phone_verified`);
  }
}
