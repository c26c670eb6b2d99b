-- Parties, cancellation policies, trades and their history.

create table party (
    id            text primary key,
    tenant_id     text        not null references tenant (id),
    handle        text        not null,
    display_name  text        not null,
    locale        text        not null,
    time_zone     text        not null,
    quiet_start   text,
    quiet_end     text,
    channels      jsonb       not null default '[]',
    created_at    timestamptz not null,
    version       integer     not null default 0
);
create index party_tenant on party (tenant_id, id);

create table cancellation_policy (
    id                      text primary key,
    tenant_id               text        not null references tenant (id),
    name                    text        not null,
    reply_window            text        not null,
    reminder_interval       text        not null,
    max_reminders           integer     not null,
    min_reminder_spacing    text        not null,
    final_grace             text        not null,
    on_silence_reply        text        not null,
    on_silence_completion   text        not null,
    on_silence_consent      text        not null,
    free_cancellation_until text        not null,
    created_at              timestamptz not null,
    version                 integer     not null default 0
);
create index cancellation_policy_tenant on cancellation_policy (tenant_id, id);

create table trade (
    id                      text primary key,
    tenant_id               text        not null references tenant (id),
    state                   text        not null,
    version                 integer     not null default 0,
    title                   text        not null,
    initiator_id            text        not null references party (id),
    counterparty_id         text        not null references party (id),
    items                   jsonb       not null,
    amount                  jsonb,
    source                  jsonb,
    policy                  jsonb       not null,
    awaiting_party_id       text,
    awaiting_kind           text,
    awaiting_requested_by   text,
    awaiting_since          timestamptz,
    awaiting_due_at         timestamptz,
    reminders_sent          integer     not null default 0,
    reminders_max           integer     not null,
    reminders_last_at       timestamptz,
    reminders_next_at       timestamptz,
    silence_at              timestamptz,
    overdue_notified        boolean     not null default false,
    payment_confirmed_at    timestamptz,
    shipment_confirmed_at   timestamptz,
    receipt_confirmed_at    timestamptz,
    initiator_completed_at  timestamptz,
    counterparty_completed_at timestamptz,
    cancellation            jsonb,
    completed_at            timestamptz,
    created_at              timestamptz not null,
    updated_at              timestamptz not null,
    event_seq               integer     not null default 0,
    -- The trade's next timer (SPEC §3); test-clock tenants' timers run only when their clock moves.
    timer_at                timestamptz,
    test_clock              boolean     not null default false
);
create index trade_tenant on trade (tenant_id, id);
create index trade_tenant_state on trade (tenant_id, state, id);
create index trade_initiator on trade (initiator_id, id);
create index trade_counterparty on trade (counterparty_id, id);
create index trade_timer_live on trade (timer_at) where timer_at is not null and not test_clock;
create index trade_timer_test on trade (tenant_id, timer_at) where timer_at is not null and test_clock;

create table trade_history (
    id            bigserial primary key,
    trade_id      text        not null references trade (id),
    at            timestamptz not null,
    actor         text        not null,
    action        text        not null,
    from_state    text,
    to_state      text        not null,
    note          text,
    evidence_url  text
);
create index trade_history_trade on trade_history (trade_id, id);
