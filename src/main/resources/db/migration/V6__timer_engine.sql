-- The timer engine (schedule/TimerMachine): every machine's table counts its subjects'
-- consecutive timer failures, for the retry backoff.

alter table trade add column timer_failures integer not null default 0;
create index trade_timer_failing on trade (id) where timer_failures > 0;
