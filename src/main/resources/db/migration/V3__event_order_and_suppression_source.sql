-- Recipient state follows the time events happened, not the order they arrive: decided_at is when the newest event
-- that changed the state happened, and an older one arriving later leaves the state alone. suppressed_by names the
-- provider whose own suppression listed the address (null: this service listed it).
alter table recipient_state add column decided_at timestamp with time zone;
alter table recipient_state add column suppressed_by varchar(100);
