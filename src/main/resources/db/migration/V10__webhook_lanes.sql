-- Webhook delivery at network speed: deliveries are claimed endpoint by endpoint, so the queue is
-- indexed by endpoint and due time. The global due-time index served a claim that had to walk past
-- every due delivery of a saturated endpoint to reach the next one (its cost grew with the queue).
create index webhook_delivery_lane on webhook_delivery (endpoint_id, next_attempt_at, id)
    where status = 'pending';
drop index webhook_delivery_due;
-- Nothing looks deliveries up by (endpoint, id); every write of a delivery paid for it.
drop index webhook_delivery_endpoint;
-- Room on each page, so that a claim (which changes only the lease) is a HOT update that writes
-- no index entries.
alter table webhook_delivery set (fillfactor = 80);

-- Rows of these tables are written only by the dispatcher, from rows it has just read or leased in
-- the same transaction, so the references cannot dangle; their checks took a share lock on the
-- endpoint row for every delivery and attempt (as in V6 for the other append-only tables).
alter table webhook_attempt drop constraint webhook_attempt_delivery_id_fkey;
alter table webhook_attempt drop constraint webhook_attempt_endpoint_id_fkey;
alter table webhook_delivery drop constraint webhook_delivery_event_id_fkey;
