import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000100_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table users (
        id uuid primary key,
        email text,
        phone text,
        password_hash text,
        name text not null default '',
        role text not null check (role in ('customer', 'merchant', 'driver', 'admin')),
        locality text,
        health_profile jsonb not null default '{"conditions":[],"diets":[],"allergens":[]}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (email is not null or phone is not null),
        constraint users_email_lowercase check (email = lower(email))
      )`);
    // E-mails are stored lower-cased (checked above), so a plain index gives case-insensitive uniqueness
    // and serves the login lookup `where email = $1` directly.
    this.addSql(`create unique index users_email_key on users (email) where email is not null`);
    this.addSql(`create unique index users_phone_key on users (phone) where phone is not null`);

    this.addSql(`
      create table refresh_tokens (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        family_id uuid not null,
        token_hash text not null unique,
        expires_at timestamptz not null,
        revoked_at timestamptz,
        replaced_by uuid,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`create index refresh_tokens_family_idx on refresh_tokens (family_id)`);
    this.addSql(`create index refresh_tokens_user_idx on refresh_tokens (user_id)`);
    this.addSql(`create index refresh_tokens_expires_idx on refresh_tokens (expires_at)`);

    this.addSql(`
      create table otp_codes (
        phone text primary key,
        code_hash text not null,
        expires_at timestamptz not null,
        attempts int not null default 0 check (attempts >= 0),
        sent_at timestamptz not null
      )`);

    this.addSql(`
      create table password_reset_tokens (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        token_hash text not null unique,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`create index password_reset_tokens_expires_idx on password_reset_tokens (expires_at)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists password_reset_tokens, otp_codes, refresh_tokens, users`);
  }
}
