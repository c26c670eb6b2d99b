-- Retention removes each batch of 1,000 expired events together with their deliveries and those
-- deliveries' attempts, found by event and by delivery; neither column was indexed (V10 dropped the
-- references, and their indexes were never there), so every batch read both tables whole. With
-- 1,000,000 deliveries and 1,000,000 attempts (PostgreSQL 15, all in shared buffers,
-- bench/retention/webhooks.sql) a batch's attempts took 0.40-0.77 s (a hash join of two
-- sequential scans, 38,591 pages) and its deliveries 0.15-0.25 s (20,409 pages), growing with the
-- tables; with these indexes 5-8 ms and 3-9 ms (7,021 and 3,021 pages). Each index costs its
-- table's inserts a few microseconds a row (200,000-row inserts into the same tables with and
-- without it, four pairs: 1.9-9.5 us a delivery, median 3.5; 1.7-3.5 us an attempt, median 2.1).
--
-- Attempts are still removed with their event, not only by their own age: an attempt is made at or
-- after its event (retries up to a day later, a replay or redelivery up to the whole retention
-- later), so its own age would keep it past its event and its delivery.
--
-- Event ids are time-ordered and delivery ids grow, so both indexes take most new entries at their
-- right-hand end.
create index webhook_delivery_event on webhook_delivery (event_id);
create index webhook_attempt_delivery on webhook_attempt (delivery_id);
