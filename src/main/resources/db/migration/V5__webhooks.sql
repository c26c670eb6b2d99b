-- Webhook endpoints, the deliveries fanned out from the event outbox, and the attempt log.

create table webhook_endpoint (
    id                          text primary key,
    tenant_id                   text        not null references tenant (id),
    url                         text        not null,
    description                 text,
    event_types                 text[]      not null,
    -- event_types as LIKE patterns ('trade.%'), so fan-out matches in SQL.
    type_patterns               text[]      not null,
    party_id                    text,
    secret                      text        not null,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    status                      text        not null default 'enabled'
                                check (status in ('enabled', 'disabled', 'deleted')),
    disabled_reason             text,
    -- Start of the current run of failed attempts; null while the endpoint is healthy.
    failing_since               timestamptz,
    -- Only events inserted after the endpoint existed are fanned out to it.
    created_position            bigint      not null,
    created_at                  timestamptz not null,
    updated_at                  timestamptz not null,
    version                     integer     not null default 1
);
create index webhook_endpoint_tenant on webhook_endpoint (tenant_id, id);

-- How far the fan-out has read the outbox, in feed order (see EventFeed).
create table webhook_fanout_cursor (
    id        integer primary key check (id = 1),
    txid      xid8    not null,
    position  bigint  not null
);
insert into webhook_fanout_cursor (id, txid, position) values (1, '0'::xid8, 0);

create index event_txid_position on event (txid, position);

create table webhook_delivery (
    id               bigserial   primary key,
    endpoint_id      text        not null references webhook_endpoint (id),
    tenant_id        text        not null,
    event_id         text        not null references event (id),
    origin           text        not null check (origin in ('event', 'replay', 'redeliver')),
    status           text        not null check (status in ('pending', 'succeeded', 'failed')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz,
    -- A replica's claim; when it passes, another replica may take the delivery over.
    lease_until      timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, id);

create table webhook_attempt (
    id               bigserial   primary key,
    delivery_id      bigint      not null references webhook_delivery (id),
    endpoint_id      text        not null references webhook_endpoint (id),
    event_id         text        not null,
    event_type       text        not null,
    attempt          integer     not null,
    status           text        not null check (status in ('succeeded', 'failed')),
    http_status      integer,
    duration_ms      integer     not null,
    response_body    text,
    error            text,
    attempted_at     timestamptz not null,
    next_attempt_at  timestamptz
);
create index webhook_attempt_endpoint on webhook_attempt (endpoint_id, id desc);
