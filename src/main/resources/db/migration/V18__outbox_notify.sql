-- Events written into the outbox by anything other than a Nudge replica (a script, a tool, an
-- import) wake the replicas' webhook fan-out at once instead of at their next poll: each replica
-- listens on this channel. A replica's own commits do not notify, because a replica wakes its own
-- fan-out in process, and PostgreSQL serializes the commits of every transaction that notifies
-- (one lock across the commit record's flush), which would take group commit from the API's writes.
-- A replica's connections say who they are with `nudge.replica = on` (set on each new connection).
create function event_outbox_notify() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('nudge_outbox', '');
    return null;
end
$$;

create trigger event_outbox_notify
    after insert on event
    for each statement
    when (coalesce(current_setting('nudge.replica', true), '') <> 'on')
execute function event_outbox_notify();
