-- Indexes for the history every ingested event reads (maillog/RecipientHistoryBuilder), issue 19.
-- The sender's flagged recipients: only flagged events are read, newest first, instead of every event of the sender in
-- the window with a row fetch each to test the flag (half of H2's ingest time with 10,000 events in the log; with
-- millions, a sender's window holds tens of thousands of events).
create index mail_event_sender_flagged on mail_event (sender, flagged, occurred_at, id);
-- The recipient's earlier attempts, newest first with the id as the tie-break, read without a sort.
create index mail_event_recipient_order on mail_event (recipient, occurred_at, id);
drop index mail_event_recipient;
