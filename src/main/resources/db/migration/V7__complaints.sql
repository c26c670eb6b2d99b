-- Complaint cases (SPEC §2 ComplaintCase), their SLA policies, responses, customer messages and
-- history. A case is a machine on the timer engine: its next SLA timer is timer_at on its row.

create table sla_policy (
    tenant_id                 text        not null references tenant (id),
    severity                  text        not null check (severity in ('low', 'normal', 'high', 'critical')),
    first_response_target     text        not null,
    first_response_deadline   text        not null,
    next_reply_target         text        not null,
    next_reply_deadline       text        not null,
    follow_up_after           text        not null,
    updated_at                timestamptz not null,
    version                   integer     not null default 1,
    primary key (tenant_id, severity)
);

create table complaint (
    id                          text primary key,
    tenant_id                   text        not null references tenant (id),
    state                       text        not null,
    version                     integer     not null,
    customer_handle             text        not null,
    customer_display_name       text,
    channel                     text        not null,
    source_url                  text,
    subject                     text        not null,
    body                        text,
    category                    text        not null,
    severity                    text        not null,
    visibility                  text        not null,
    trade_id                    text,
    assignee                    text,
    escalation_level            integer     not null default 0,
    -- The SLA policy's durations when the case opened: later policy changes do not move it.
    terms                       json        not null,
    opened_at                   timestamptz not null,
    first_response_target_at    timestamptz not null,
    first_response_due_at       timestamptz not null,
    first_responded_at          timestamptz,
    first_response_warned       boolean     not null default false,
    first_response_breached     boolean     not null default false,
    next_reply_since            timestamptz,
    next_reply_target_at        timestamptz,
    next_reply_due_at           timestamptz,
    next_reply_warned           boolean     not null default false,
    next_reply_breached         boolean     not null default false,
    warned                      boolean     not null default false,
    breached                    boolean     not null default false,
    paused_since                timestamptz,
    resolved_at                 timestamptz,
    follow_up_due_at            timestamptz,
    follow_up_notified          boolean     not null default false,
    created_at                  timestamptz not null,
    updated_at                  timestamptz not null,
    event_seq                   integer     not null default 0,
    timer_at                    timestamptz,
    test_clock                  boolean     not null default false,
    timer_failures              integer     not null default 0
);
create index complaint_tenant on complaint (tenant_id, id);
create index complaint_timer_live on complaint (timer_at) where timer_at is not null and not test_clock;
create index complaint_timer_test on complaint (tenant_id, timer_at) where timer_at is not null and test_clock;
create index complaint_timer_failing on complaint (id) where timer_failures > 0;
-- Statistics read only these columns of a tenant's window: an index-only scan.
create index complaint_stats on complaint (tenant_id, opened_at)
    include (category, severity, state, breached, first_responded_at, first_response_target_at);

create table complaint_history (
    id            bigserial   primary key,
    complaint_id  text        not null,
    at            timestamptz not null,
    actor         text        not null,
    action        text        not null,
    from_state    text,
    to_state      text        not null,
    note          text
);
create index complaint_history_case on complaint_history (complaint_id, id);

create table complaint_response (
    id            text primary key,
    complaint_id  text        not null,
    tenant_id     text        not null,
    author        text        not null,
    visibility    text        not null,
    body          text        not null,
    -- SHA-256 of the normalised text, for the copy-paste check.
    body_key      text        not null,
    warnings      json        not null,
    created_at    timestamptz not null
);
create index complaint_response_case on complaint_response (complaint_id, id);
create index complaint_response_same_text on complaint_response (tenant_id, body_key, created_at);

create table complaint_message (
    id            text primary key,
    complaint_id  text        not null,
    tenant_id     text        not null,
    body          text        not null,
    at            timestamptz not null,
    created_at    timestamptz not null
);
create index complaint_message_case on complaint_message (complaint_id, id);
