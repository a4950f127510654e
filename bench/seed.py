#!/usr/bin/env python3
"""Writes a grown mail log as CSV for bench/ingest.sh to load with COPY (PostgreSQL) or CSVREAD (H2).

  bench/seed.py events N > mail_event.csv       N diagnosed events over the last 30 days, newest first
  bench/seed.py recipients N > recipient.csv    the state rows of the recipients those events went to

Event k goes to recipient r{k mod 1,000,000}@bench.example (the addresses IngestBench posts to, so the bench's
recipients have history: about N / 1,000,000 events each) from sender s{k mod 97}@sender.example (IngestBench's
senders are s0..s9). One event in ten is a hard bounce that flagged its recipient, one a soft bounce, one a deferral,
the rest deliveries; the recipients whose events are hard bounces are flagged in recipient_state, so the sender query
(flagged recipients of the sender in the last days) has as many rows to consider as a real log of this size.
"""
import datetime
import sys

RECIPIENTS = 1_000_000
SENDERS = 97
SPAN = datetime.timedelta(days=30)


def events(n):
    out = sys.stdout
    out.write("event_id,recipient,sender,provider,status,reported_status,smtp_code,enhanced_code,occurred_at,received_at,"
              "diagnosed,reason,category,retry,suppress,flagged,failure,rule_set_version\n")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    kinds = {
        3: "bounced,bounced,550,5.1.1,{t},{t},true,userunknown,invalid-email,never,true,true,true,seed",
        8: "deferred,deferred,451,4.7.1,{t},{t},true,greylisted,delayed,later,false,false,,seed",
        9: "bounced,bounced,552,5.2.2,{t},{t},true,mailboxfull,mailbox-error,later,false,false,true,seed",
    }
    delivered = "delivered,delivered,,,{t},{t},true,delivered,delivered,not-needed,false,false,false,seed"
    step = SPAN / max(n, 1)
    # Times are written once per second of the span and reused: formatting each row's time costs more than the rest.
    last_second, stamp = None, None
    for k in range(n):
        at = now - step * k
        second = int(at.timestamp())
        if second != last_second:
            last_second = second
            stamp = datetime.datetime.fromtimestamp(second, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        out.write(f"seed-{k},r{k % RECIPIENTS}@bench.example,s{k % SENDERS}@sender.example,smtp,")
        out.write(kinds.get(k % 10, delivered).format(t=stamp))
        out.write("\n")


def recipients(n):
    out = sys.stdout
    out.write("address,flagged_invalid,suppressed,consecutive_failures\n")
    for r in range(min(n, RECIPIENTS)):
        flagged = r % 10 == 3
        out.write(f"r{r}@bench.example,{'true' if flagged else 'false'},false,{1 if flagged else 0}\n")


if __name__ == "__main__":
    {"events": events, "recipients": recipients}[sys.argv[1]](int(sys.argv[2]))
