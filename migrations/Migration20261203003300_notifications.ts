import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications: the in-app inbox (one per user, type and subject: a redelivered event or a second
 * reminder run cannot notify twice), channel preferences, devices for push, and the queue of
 * deliveries to e-mail, SMS and push (due now, or after the user's quiet hours).
 */
export class Migration20261203003300_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table notifications (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        type text not null,
        subject text not null,
        title text not null,
        body text not null,
        data jsonb not null default '{}',
        created_at timestamptz not null,
        read_at timestamptz,
        constraint notifications_once_key unique (user_id, type, subject)
      )`);
    this.addSql(`create index notifications_newest_idx on notifications (user_id, created_at desc, id desc)`);
    this.addSql(`create index notifications_unread_idx on notifications (user_id, created_at desc, id desc) where read_at is null`);

    this.addSql(`
      create table notification_preferences (
        user_id uuid primary key references users (id) on delete cascade,
        email boolean not null,
        sms boolean not null,
        push boolean not null,
        quiet_from text check (quiet_from ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        quiet_to text check (quiet_to ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        quiet_time_zone text,
        updated_at timestamptz not null,
        check ((quiet_from is null) = (quiet_to is null))
      )`);

    this.addSql(`
      create table devices (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        platform text not null check (platform in ('web', 'android', 'ios')),
        token text not null check (char_length(token) <= 4096),
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        constraint devices_token_key unique (platform, token)
      )`);
    this.addSql(`create index devices_user_idx on devices (user_id)`);

    this.addSql(`
      create table notification_deliveries (
        notification_id uuid not null references notifications (id) on delete cascade,
        channel text not null check (channel in ('email', 'sms', 'push')),
        user_id uuid not null,
        status text not null default 'pending' check (status in ('pending', 'sent', 'skipped', 'failed')),
        due_at timestamptz not null,
        locked_until timestamptz,
        attempts int not null default 0,
        last_error text,
        sent_at timestamptz,
        primary key (notification_id, channel)
      )`);
    this.addSql(`create index notification_deliveries_due_idx on notification_deliveries (due_at) where status = 'pending'`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists notification_deliveries, devices, notification_preferences, notifications`);
  }
}
