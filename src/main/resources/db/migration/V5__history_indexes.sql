-- Indexes for the history every ingested event reads (maillog/RecipientHistoryBuilder), issue 19. Both are read newest
-- first and stop after a page; the columns are descending, and the queries order by the equality columns first, because
-- H2 only stops early on an index whose order is the query's from its first column (PostgreSQL would scan backwards).
-- The sender's flagged recipients: only flagged events are read, instead of every event of the sender in the window
-- with a row fetch each to test the flag (half of H2's ingest time with 10,000 events in the log; 0.5 s a query on
-- PostgreSQL with 10 million, where a sender's 7-day window holds 26,000 events).
create index mail_event_sender_flagged on mail_event (sender, flagged, occurred_at desc, id desc);
-- The recipient's earlier attempts, newest first with the id as the tie-break, read without a sort. It replaces the
-- ascending index on (recipient, occurred_at), which the mail log's pages by recipient can read as well.
create index mail_event_recipient_newest on mail_event (recipient, occurred_at desc, id desc);
drop index mail_event_recipient;
