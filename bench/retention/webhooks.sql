-- The webhook part of a retention batch, timed on a scratch database with every migration applied:
--   psql -d SCRATCH -f bench/retention/webhooks.sql
-- Seeds one live tenant with one endpoint, 1,000,000 events over 40 days, one delivery and one
-- attempt each, then explains the two statements of WebhookRetention.removeFor for the oldest
-- 1,000 events in feed order (the batch retention takes), each in a transaction that is rolled back.
\set ON_ERROR_STOP on
\timing on
insert into tenant (id, name, mode, created_at)
values ('ten_bench', 'Bench', 'live', now() - interval '41 days');
insert into webhook_endpoint (id, tenant_id, url, event_types, type_patterns, secret,
                              created_position, created_at, updated_at)
values ('whe_bench', 'ten_bench', 'http://127.0.0.1:9/', '{trade.*}', '{trade.%}', 'whsec_x', 0,
        now() - interval '41 days', now() - interval '41 days');
-- Time-ordered ids, 100 events per transaction id.
insert into event (id, tenant_id, type, subject_kind, subject_id, sequence, created_at, data, txid)
select 'evt_' || lpad(i::text, 10, '0') || substr(md5(i::text), 1, 16), 'ten_bench',
       'trade.created', 'trade', 'trd_' || i, 1,
       now() - interval '40 days' + i * interval '40 days' / 1000000,
       '{"id":"trd_' || i || '","state":"agreed","title":"' || repeat('x', 150) || '"}',
       (1000 + i / 100)::text::xid8
from generate_series(1, 1000000) i;
insert into webhook_delivery (endpoint_id, tenant_id, event_id, origin, status, attempts,
                              created_at, updated_at)
select 'whe_bench', 'ten_bench', e.id, 'event', 'succeeded', 1, e.created_at,
       e.created_at + interval '20 ms'
from event e where e.tenant_id = 'ten_bench' order by e.position;
insert into webhook_attempt (delivery_id, endpoint_id, event_id, event_type, attempt, status,
                             http_status, duration_ms, response_body, attempted_at)
select d.id, 'whe_bench', d.event_id, 'trade.created', 1, 'succeeded', 200, 12, 'ok',
       d.created_at + interval '20 ms'
from webhook_delivery d where d.endpoint_id = 'whe_bench' order by d.id;
vacuum analyze event;
vacuum analyze webhook_delivery;
vacuum analyze webhook_attempt;

select array_agg(id) as ids from (select id from event where tenant_id = 'ten_bench'
                                  order by txid, position limit 1000) batch \gset
prepare attempts(text[]) as delete from webhook_attempt
  where delivery_id in (select id from webhook_delivery where event_id = any($1));
prepare deliveries(text[]) as delete from webhook_delivery where event_id = any($1);
begin;
explain (analyze, buffers, costs off) execute attempts(:'ids');
explain (analyze, buffers, costs off) execute deliveries(:'ids');
rollback;
begin;
explain (analyze, buffers, costs off) execute attempts(:'ids');
explain (analyze, buffers, costs off) execute deliveries(:'ids');
rollback;
