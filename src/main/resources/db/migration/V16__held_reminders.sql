-- Every timer batch looks up the reminders held for quiet hours among its trades
-- (ReminderRepository.held: trade_id = any(batch) and status = 'deferred'). Through
-- reminder_trade it probed every claimed trade's reminders, sent ones included: 51 µs per
-- transition of the scheduler benchmark's 271 µs of PostgreSQL time (pg_stat_statements, 100,000
-- transitions in batches of 500). Held reminders are few at any time; an index of only those
-- answers the lookup without reading a sent one.
create index reminder_held on reminder (trade_id) where status = 'deferred';
