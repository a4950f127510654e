-- The tokens of signed webhook calls seen recently (Mailgun's), shared by every replica: a captured call replayed to
-- another replica is refused too. Rows older than twice the accepted clock skew are deleted (WebhookTokens).
create table webhook_token (
    token    varchar(300) primary key,
    seen_at  timestamp with time zone not null
);
create index webhook_token_seen on webhook_token (seen_at);
