-- Every finished attempt inserts a row into webhook_attempt, and each of its indexes takes an entry
-- per row. Two of the three served the same lookups: the primary key on id (used only by
-- retention's delete of an endpoint's expired attempts) and (endpoint_id, id desc) (an endpoint's
-- attempts newest first, and retention's oldest-first probe per endpoint). One primary key on
-- (endpoint_id, id) serves all of them, scanned backwards for newest first, and every attempt
-- writes one index entry fewer. Ids still come from the table's sequence, so they stay unique.
alter table webhook_attempt drop constraint webhook_attempt_pkey;
drop index webhook_attempt_endpoint;
alter table webhook_attempt add primary key (endpoint_id, id);
