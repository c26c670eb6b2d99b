-- Retention (SPEC §4): events older than nudge.events.retention are removed, oldest first per
-- tenant, in short batches. The feed must still tell a consumer whose cursor points before
-- removed events that it missed some (410 cursor-expired) rather than skip them silently, so
-- each tenant's last removed feed position is kept here.
create table event_horizon (
    tenant_id  text    primary key,
    txid       xid8    not null,
    position   bigint  not null
);
