-- Reminder records (SPEC §2 Reminders) and tenant overrides of the reminder texts.

create table reminder (
    id             text primary key,
    trade_id       text        not null references trade (id),
    tenant_id      text        not null references tenant (id),
    to_party_id    text        not null references party (id),
    number         integer     not null,
    tone           text        not null check (tone in ('gentle', 'firm', 'final')),
    channel        text,
    locale         text        not null,
    message        text        not null,
    scheduled_for  timestamptz not null,
    sent_at        timestamptz,
    status         text        not null check (status in ('scheduled', 'sent', 'deferred')),
    manual         boolean     not null default false
);
create index reminder_trade on reminder (trade_id, id);
create index reminder_party on reminder (to_party_id, id);
create index reminder_party_status on reminder (to_party_id, status, id);

create table reminder_template (
    tenant_id   text        not null references tenant (id),
    locale      text        not null,
    tone        text        not null,
    body        text        not null,
    updated_at  timestamptz not null,
    primary key (tenant_id, locale, tone)
);
