-- Tenants, their API keys, idempotency records and the event outbox.

create table tenant (
    id          text primary key,
    name        text        not null,
    mode        text        not null check (mode in ('live', 'test')),
    -- A test-mode tenant's frozen clock; null for live tenants, who follow the system clock.
    clock_now   timestamptz,
    created_at  timestamptz not null,
    version     integer     not null default 1
);

create table api_key (
    id          text primary key,
    tenant_id   text        not null references tenant (id),
    key_hash    text        not null unique,
    prefix      text        not null,
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index api_key_tenant on api_key (tenant_id);

create table idempotency_record (
    scope         text        not null,
    idem_key      text        not null,
    request_hash  text        not null,
    status        integer,
    content_type  text,
    body          text,
    headers       jsonb,
    created_at    timestamptz not null default now(),
    completed_at  timestamptz,
    primary key (scope, idem_key)
);
create index idempotency_record_created on idempotency_record (created_at);

-- The outbox. position is allocated at insert; txid lets the feed hold back events of
-- transactions that may still commit (see EventFeed).
create table event (
    position      bigserial   primary key,
    id            text        not null unique,
    tenant_id     text        not null references tenant (id),
    type          text        not null,
    subject_kind  text        not null,
    subject_id    text        not null,
    sequence      integer     not null,
    party_ids     text[]      not null default '{}',
    created_at    timestamptz not null,
    data          json        not null,
    txid          xid8        not null default pg_current_xact_id(),
    unique (subject_kind, subject_id, sequence)
);
create index event_feed on event (tenant_id, txid, position);
