-- Party tokens (SPEC §2, §5): what a browser or phone holds instead of the tenant's key.
create table party_token (
    id          text primary key,
    tenant_id   text        not null references tenant (id),
    party_id    text        not null references party (id),
    token_hash  text        not null unique,
    prefix      text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    revoked_at  timestamptz
);
create index party_token_party on party_token (party_id, id);

-- Parties are found by handle, as X shows it (case does not matter).
create index party_handle on party (tenant_id, lower(handle));

-- Who a trade awaited after each change, and how many reminders had gone out: the history then
-- tells how each party answers (GET /v1/parties/{id}/responsiveness).
alter table trade_history add column awaited_party_id text;
alter table trade_history add column reminders_sent integer;
