-- Deliveries are inserted only by the fan-out and by replay and redelivery, each from the endpoint
-- row it has just read, and endpoints are never removed (deleting one marks it deleted), so the
-- reference cannot dangle; its check ran a lookup and a share lock of the endpoint row for every
-- new delivery (about a fifth of a fan-out statement), as V10 found for the other references.
alter table webhook_delivery drop constraint webhook_delivery_endpoint_id_fkey;
