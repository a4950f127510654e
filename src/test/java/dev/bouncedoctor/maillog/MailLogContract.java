package dev.bouncedoctor.maillog;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.nullValue;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bouncedoctor.security.ApiKeys;
import dev.bouncedoctor.security.Roles;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The mail log over HTTP, as the help-centre articles tell it. Run once per database (H2 and a real
 * PostgreSQL) by the subclasses; every test uses addresses of its own, so they share a database.
 */
abstract class MailLogContract {

    @Inject
    ApiKeys keys;

    /** A domain no other test uses. */
    static String domain() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    static ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/v1/events").then();
    }

    static ValidatableResponse recipient(String address) {
        return given().when().get("/v1/recipients/" + address).then();
    }

    @Test
    void seed000ABounceFlagsTheAddressAndTheNextDeliveryClearsIt() {
        String jane = "jane@" + domain();
        post("{\"recipient\":\"" + jane + "\",\"status\":\"bounced\",\"message\":\"552-5.2.2 The email account that you tried to reach is over quota.\"}")
                .statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString("/v1/events/"))
                .body("event.id", notNullValue())
                .body("event.status", equalTo("bounced"))
                .body("event.diagnosed", equalTo(true))
                .body("diagnosis.diagnoses[0].reason", equalTo("mailboxfull"))
                .body("diagnosis.ruleSetVersion", notNullValue())
                .body("recipient.flaggedInvalid", equalTo(true))
                .body("recipient.suppressed", equalTo(false))
                .body("recipient.consecutiveFailures", equalTo(1));
        recipient(jane).statusCode(200).body("recipient.flaggedInvalid", equalTo(true)).body("recentEvents", hasSize(1));

        post("{\"recipient\":\"" + jane + "\",\"status\":\"delivered\"}")
                .statusCode(201)
                .body("diagnosis.diagnoses[0].category", equalTo("delivered"))
                .body("recipient.flaggedInvalid", equalTo(false))
                .body("recipient.consecutiveFailures", equalTo(0));
        recipient(jane).statusCode(200)
                .body("recipient.flaggedInvalid", equalTo(false))
                .body("recipient.lastStatus", equalTo("delivered"));
    }

    @Test
    void seed003AHardBounceListsTheAddressALaterSendIsDroppedAndAnOperatorCanTakeItOff() {
        String bob = "bob@" + domain();
        post("{\"recipient\":\"" + bob + "\",\"status\":\"bounced\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .statusCode(201)
                .body("diagnosis.diagnoses[0].reason", equalTo("userunknown"))
                .body("recipient.suppressed", equalTo(true))
                .body("recipient.suppressedReason", equalTo("userunknown"))
                .body("recipient.suppressedSince", notNullValue());
        given().queryParam("reason", "userunknown").queryParam("size", 500).when().get("/v1/suppressions").then()
                .statusCode(200).body("items.address", hasItem(bob));

        // A later send to the listed address is not sent: logged as dropped.
        post("{\"recipient\":\"" + bob + "\",\"status\":\"pending\"}")
                .statusCode(201)
                .body("event.status", equalTo("dropped"))
                .body("event.reportedStatus", equalTo("pending"))
                .body("diagnosis.diagnoses[0].reason", equalTo("suppressed"))
                .body("diagnosis.diagnoses[0].category", equalTo("suppressed"));
        given().queryParam("recipient", bob).queryParam("status", "dropped").when().get("/v1/events").then()
                .statusCode(200).body("total", equalTo(1));

        // "Mark email address as valid": who did it is whoever authenticated, here the support tool's operator key.
        String agent = "agent.smith-" + UUID.randomUUID().toString().substring(0, 8);
        String agentKey = keys.create(agent, List.of(Roles.OPERATOR)).key();
        given().header("X-API-Key", agentKey).when().delete("/v1/suppressions/" + bob).then()
                .statusCode(200)
                .body("suppressed", equalTo(false))
                .body("removedBy", equalTo(agent))
                .body("removedAt", notNullValue());
        given().queryParam("size", 500).when().get("/v1/suppressions").then().body("items.address", not(hasItem(bob)));
        given().header("X-API-Key", agentKey).when().delete("/v1/suppressions/" + bob).then()
                .statusCode(404).contentType("application/problem+json");

        // It keeps failing: the next hard bounce puts it back.
        post("{\"recipient\":\"" + bob + "\",\"status\":\"bounced\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .statusCode(201).body("recipient.suppressed", equalTo(true)).body("recipient.removedBy", equalTo(agent));
        recipient(bob).body("recipient.suppressed", equalTo(true));

        // Who removes it cannot be claimed: the old X-Operator header and operator parameter change nothing.
        given().header("X-API-Key", agentKey).header("X-Operator", "someone.else").queryParam("operator", "someone.else")
                .when().delete("/v1/suppressions/" + bob).then().statusCode(200).body("removedBy", equalTo(agent));
    }

    @Test
    void anAddressTakenOffTheListGoesBackOnWhenSoftFailuresContinue() {
        String ann = "ann@" + domain();
        post("{\"recipient\":\"" + ann + "\",\"status\":\"bounced\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}").statusCode(201);
        // The suite's own key is stored as "bootstrap".
        given().when().delete("/v1/suppressions/" + ann).then().statusCode(200).body("removedBy", equalTo("bootstrap"));
        post("{\"recipient\":\"" + ann + "\",\"status\":\"bounced\",\"smtpCode\":554}").statusCode(201).body("recipient.suppressed", equalTo(false));
        post("{\"recipient\":\"" + ann + "\",\"status\":\"bounced\",\"smtpCode\":554}").statusCode(201)
                .body("recipient.suppressed", equalTo(true))
                .body("diagnosis.rulesFired", hasItem("an address taken off the bounce list goes back on if it keeps failing"));
    }

    @Test
    void seed000ThirtyRecipientsFailingAuthenticationIsTheSendersSmtpConfiguration() {
        String d = domain();
        String sender = "billing@sender-" + d;
        List<String> events = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            events.add("{\"recipient\":\"customer" + i + "@" + d + "\",\"sender\":\"" + sender
                    + "\",\"status\":\"bounced\",\"message\":\"535 5.7.8 Authentication credentials invalid\"}");
        }
        given().contentType(ContentType.JSON).body("[" + String.join(",", events) + "]").when().post("/v1/events/batch").then()
                .statusCode(200).body("", hasSize(30))
                .body("[29].diagnosis.diagnoses[0].category", equalTo("sender-setup"))
                .body("recipient.suppressed", everyItem(equalTo(false)));

        given().when().get("/v1/senders/" + sender + "/diagnoses").then()
                .statusCode(200)
                .body("sender", equalTo(sender))
                .body("flaggedRecipients", equalTo(30))
                .body("diagnoses[0].category", equalTo("sender-setup"))
                .body("diagnoses[0].title", containsString("SMTP configuration"))
                .body("diagnoses[0].whereToCheck", containsString("Activity > Email"))
                .body("diagnoses[0].suppress", equalTo(false));
        given().queryParam("size", 500).when().get("/v1/suppressions").then().body("items.address", not(hasItem("customer1@" + d)));
    }

    @Test
    void aRecipientConfirmedToReceiveMailWhileFlaggedPointsAtTheServersStatusCodes() {
        String kim = "kim@" + domain();
        post("{\"recipient\":\"" + kim + "\",\"status\":\"bounced\",\"smtpCode\":554}").statusCode(201).body("recipient.flaggedInvalid", equalTo(true));
        post("{\"recipient\":\"" + kim + "\",\"status\":\"delivered\",\"symptom\":\"flagged-but-delivered\"}").statusCode(201)
                .body("event.symptom", equalTo("flagged-but-delivered"))
                .body("diagnosis.diagnoses[0].category", equalTo("sender-setup"))
                .body("diagnosis.diagnoses[0].title", containsString("reports it as failed"))
                .body("recipient.flaggedInvalid", equalTo(false));
    }

    @Test
    void aFullMailboxOnSeveralAttemptsOverDaysGoesOnTheBounceList() {
        String max = "max@" + domain();
        String bounce = "{\"recipient\":\"" + max + "\",\"status\":\"bounced\",\"smtpCode\":552,\"occurredAt\":\"%s\"}";
        post(bounce.formatted("2026-03-01T10:00:00Z")).statusCode(201).body("recipient.suppressed", equalTo(false));
        post(bounce.formatted("2026-03-02T10:00:00Z")).statusCode(201).body("recipient.suppressed", equalTo(false));
        post(bounce.formatted("2026-03-04T10:00:00Z")).statusCode(201)
                .body("diagnosis.diagnoses[0].suppress", equalTo(true))
                .body("recipient.suppressed", equalTo(true))
                .body("recipient.suppressedReason", equalTo("mailboxfull"))
                .body("recipient.consecutiveFailures", equalTo(3));
    }

    @Test
    void theSameEventIdIsStoredOnceAndAnswersTheFirstResult() {
        String lea = "lea@" + domain();
        String id = "evt-" + UUID.randomUUID();
        String body = "{\"eventId\":\"" + id + "\",\"recipient\":\"" + lea + "\",\"status\":\"bounced\",\"smtpCode\":552}";
        int first = post(body).statusCode(201).extract().path("event.id");
        post(body).statusCode(200)
                .body("event.id", equalTo(first))
                .body("event.eventId", equalTo(id))
                .body("diagnosis.diagnoses[0].reason", equalTo("mailboxfull"));
        // The same eventId for other content is another event, not a retry: refused, naming what differs; the first one stands.
        post("{\"eventId\":\"" + id + "\",\"recipient\":\"" + lea + "\",\"status\":\"delivered\"}").statusCode(409)
                .body("errors.field", org.hamcrest.Matchers.hasItems("status", "smtpCode"));
        given().queryParam("recipient", lea).when().get("/v1/events").then().body("total", equalTo(1));
        recipient(lea).body("recipient.consecutiveFailures", equalTo(1));
        given().when().get("/v1/events/" + first).then().statusCode(200)
                .body("event.eventId", equalTo(id)).body("diagnosis.diagnoses[0].reason", equalTo("mailboxfull"));
    }

    @Test
    void theMailLogPagesNewestFirstAndFilters() {
        String d = domain();
        String pat = "Pat@" + d;
        String[] times = {"2026-05-01T08:00:00Z", "2026-05-02T08:00:00Z", "2026-05-03T08:00:00Z", "2026-05-04T08:00:00Z", "2026-05-05T08:00:00Z"};
        String[] statuses = {"delivered", "bounced", "deferred", "delivered", "bounced"};
        for (int i = 0; i < times.length; i++) {
            post("{\"recipient\":\"" + pat.replace(d, d.toUpperCase()) + "\",\"sender\":\"news@" + d + "\",\"status\":\"" + statuses[i]
                    + "\",\"smtpCode\":" + (statuses[i].equals("delivered") ? 250 : statuses[i].equals("deferred") ? 451 : 554)
                    + ",\"occurredAt\":\"" + times[i] + "\"}").statusCode(201).body("event.recipient", equalTo(pat));
        }
        post("{\"recipient\":\"pat@" + d + "\",\"status\":\"bounced\",\"smtpCode\":554,\"occurredAt\":\"2026-05-06T08:00:00Z\"}").statusCode(201);

        // The domain compares without case, the local part with it.
        given().queryParam("recipient", "Pat@" + d.toUpperCase()).queryParam("size", 2).when().get("/v1/events").then()
                .statusCode(200)
                .body("total", equalTo(5)).body("page", equalTo(0)).body("size", equalTo(2))
                .body("items.occurredAt", equalTo(List.of("2026-05-05T08:00:00Z", "2026-05-04T08:00:00Z")));
        given().queryParam("recipient", pat).queryParam("size", 2).queryParam("page", 2).when().get("/v1/events").then()
                .body("items", hasSize(1)).body("items[0].occurredAt", equalTo("2026-05-01T08:00:00Z"));
        // The two bounces; the deferral is still being tried (neither a delivery nor a failure), as is its 451.
        given().queryParam("recipient", pat).queryParam("undelivered", true).when().get("/v1/events").then()
                .body("total", equalTo(2)).body("items.status", everyItem(equalTo("bounced")));
        given().queryParam("recipient", pat).queryParam("status", "Bounced").when().get("/v1/events").then().body("total", equalTo(2));
        given().queryParam("recipient", pat).queryParam("from", "2026-05-02T00:00:00Z").queryParam("to", "2026-05-04T00:00:00Z")
                .when().get("/v1/events").then().body("total", equalTo(2))
                .body("items.occurredAt", equalTo(List.of("2026-05-03T08:00:00Z", "2026-05-02T08:00:00Z")));
        given().queryParam("sender", "NEWS@" + d).when().get("/v1/events").then().body("total", equalTo(0));
        given().queryParam("sender", "news@" + d.toUpperCase()).when().get("/v1/events").then().body("total", equalTo(5));
        recipient("pat@" + d).statusCode(200).body("recipient.address", equalTo("pat@" + d)).body("recentEvents", hasSize(1));
        recipient("Pat@" + d.toUpperCase()).statusCode(200).body("recipient.address", equalTo(pat));
        int all = given().queryParam("size", 500).when().get("/v1/events").then().statusCode(200).extract().path("total");
        assertEquals(true, all >= 6);
    }

    /**
     * "Show only undelivered" is what the symptom rules decided was a failure (isFailureCategory in
     * rules/symptoms, stored per event from their verdict), not a list of statuses kept in Java: a
     * delay the server will retry (greylisting) and an auto-reply (the mail arrived) are not failures,
     * although their status is neither delivered nor pending; a bounce and a complaint are.
     */
    @Test
    void undeliveredIsWhatTheRulesCallAFailure() {
        String d = domain();
        String bounced = "{\"recipient\":\"ivy@" + d + "\",\"status\":\"bounced\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\",\"occurredAt\":\"2026-06-01T08:00:00Z\"}";
        String complained = "{\"recipient\":\"joe@" + d + "\",\"status\":\"complained\",\"occurredAt\":\"2026-06-01T09:00:00Z\"}";
        String greylisted = "{\"recipient\":\"kai@" + d + "\",\"status\":\"deferred\",\"message\":\"451 4.7.1 Greylisted, please try again later\",\"occurredAt\":\"2026-06-01T10:00:00Z\"}";
        String autoReply = "{\"recipient\":\"liv@" + d + "\",\"status\":\"auto-replied\",\"message\":\"Out of office\",\"occurredAt\":\"2026-06-01T11:00:00Z\"}";
        String delivered = "{\"recipient\":\"mo@" + d + "\",\"status\":\"delivered\",\"occurredAt\":\"2026-06-01T12:00:00Z\"}";
        for (String event : List.of(bounced, complained, greylisted, autoReply, delivered)) {
            post(event.replace("\"recipient\"", "\"sender\":\"news@" + d + "\",\"recipient\"")).statusCode(201);
        }
        given().queryParam("sender", "news@" + d).queryParam("undelivered", true).when().get("/v1/events").then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.recipient", equalTo(List.of("joe@" + d, "ivy@" + d)));
        given().queryParam("sender", "news@" + d).queryParam("undelivered", false).when().get("/v1/events").then().body("total", equalTo(5));
    }

    @Test
    void badRequestsNameTheField() {
        post("{\"status\":\"bounced\",\"smtpCode\":550}").statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("recipient"));
        post("{\"recipient\":\"nobody\",\"status\":\"bounced\"}").statusCode(400).body("errors.field", hasItem("recipient"));
        post("{\"recipient\":\"a@b.example\",\"status\":\"bounced\",\"symptom\":\"Flagged But Delivered\"}").statusCode(400)
                .body("errors.field", hasItem("symptom"));
        post("{\"recipient\":\"a@b.example\",\"status\":\"bounced\",\"eventid\":\"x\"}").statusCode(400).body("errors.field", hasItem("eventid"));
        given().contentType(ContentType.JSON).body("[{\"recipient\":\"a@b.example\",\"status\":\"bounced\"},{\"status\":\"bounced\"}]")
                .when().post("/v1/events/batch").then().statusCode(400).body("errors.field", hasItem("[1].recipient"));
        given().queryParam("from", "yesterday").queryParam("size", 0).queryParam("page", -1).when().get("/v1/events").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("from")).body("errors.field", hasItem("size")).body("errors.field", hasItem("page"));
        recipient("nobody-" + UUID.randomUUID() + "@" + domain()).statusCode(404).contentType("application/problem+json");
        recipient("not-an-address").statusCode(400).body("errors.field", hasItem("address"));
        given().when().get("/v1/senders/nobody@" + domain() + "/diagnoses").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/v1/events/999999999").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aOneOffDiagnosisIsUnchangedByTheMailLog() {
        given().contentType(ContentType.JSON).body("{\"recipient\":\"one@off.example\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .when().post("/v1/diagnoses").then().statusCode(200)
                .body("diagnoses[0].reason", equalTo("userunknown"))
                .body("$", not(org.hamcrest.Matchers.hasKey("verdict")));
        given().queryParam("recipient", "one@off.example").when().get("/v1/events").then().body("total", equalTo(0));
        given().when().get("/q/health/ready").then().statusCode(200).body("checks.size()", greaterThanOrEqualTo(2));
    }

    // --- Provider events: what a status means (rules/classify/event-names.*), never a failure unless it is one ---

    @Test
    void engagementAndHandOffEventsAreLoggedButNeverFlagNorCount() {
        String d = domain();
        String ann = "ann@" + d;
        post("{\"recipient\":\"" + ann + "\",\"provider\":\"sendgrid\",\"status\":\"bounce\",\"message\":\"550 5.2.2 mailbox full\","
                + "\"occurredAt\":\"2026-06-01T08:00:00Z\"}").statusCode(201).body("recipient.flaggedInvalid", equalTo(true))
                .body("recipient.consecutiveFailures", equalTo(1));
        String[][] events = {{"sendgrid", "processed", "queued"}, {"sendgrid", "open", "opened"}, {"sendgrid", "click", "clicked"},
                {"mailgun", "unsubscribed", "unsubscribed"}, {"ses", "Send", "sent"}, {"sparkpost", "initial_open", "opened"}};
        for (int i = 0; i < events.length; i++) {
            post("{\"recipient\":\"" + ann + "\",\"provider\":\"" + events[i][0] + "\",\"status\":\"" + events[i][1] + "\","
                    + "\"occurredAt\":\"2026-06-01T09:0" + i + ":00Z\"}")
                    .statusCode(201)
                    .body("event.status", equalTo(events[i][2]))
                    .body("event.reportedStatus", equalTo(events[i][1].toLowerCase(java.util.Locale.ROOT)))
                    .body("event.failure", nullValue())
                    .body("diagnosis.diagnoses[0].title", not(containsString("not delivered")))
                    .body("recipient.flaggedInvalid", equalTo(true))
                    .body("recipient.consecutiveFailures", equalTo(1))
                    .body("recipient.suppressed", equalTo(false));
        }
        given().queryParam("recipient", ann).queryParam("undelivered", true).when().get("/v1/events").then().body("total", equalTo(1));
        given().queryParam("recipient", ann).queryParam("status", "opened").when().get("/v1/events").then().body("total", equalTo(2));
    }

    @Test
    void stateFollowsWhenEventsHappenedNotWhenTheyArrived() {
        String bea = "bea@" + domain();
        post("{\"recipient\":\"" + bea + "\",\"status\":\"bounced\",\"smtpCode\":552,\"occurredAt\":\"2026-06-02T10:00:00Z\"}")
                .statusCode(201).body("recipient.flaggedInvalid", equalTo(true));
        // A delivery from the day before, reported late: logged, but the newer bounce stands.
        post("{\"recipient\":\"" + bea + "\",\"status\":\"delivered\",\"occurredAt\":\"2026-06-01T10:00:00Z\"}")
                .statusCode(201).body("event.status", equalTo("delivered"))
                .body("recipient.flaggedInvalid", equalTo(true))
                .body("recipient.consecutiveFailures", equalTo(1))
                .body("recipient.lastEventAt", equalTo("2026-06-02T10:00:00Z"))
                .body("recipient.lastStatus", equalTo("bounced"));
        // A newer delivery clears it.
        post("{\"recipient\":\"" + bea + "\",\"status\":\"delivered\",\"occurredAt\":\"2026-06-03T10:00:00Z\"}")
                .statusCode(201).body("recipient.flaggedInvalid", equalTo(false)).body("recipient.consecutiveFailures", equalTo(0));
        // And a hard bounce older than that delivery, arriving last, neither flags nor lists the address.
        post("{\"recipient\":\"" + bea + "\",\"status\":\"bounced\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\",\"occurredAt\":\"2026-06-02T12:00:00Z\"}")
                .statusCode(201).body("diagnosis.diagnoses[0].reason", equalTo("userunknown"))
                .body("recipient.flaggedInvalid", equalTo(false))
                .body("recipient.suppressed", equalTo(false))
                .body("recipient.lastStatus", equalTo("delivered"));
    }

    @Test
    void seed000ADeliveryWhoseTextSays550IsDeliveredAndNeverListsTheAddress() {
        String cy = "cy@" + domain();
        post("{\"recipient\":\"" + cy + "\",\"status\":\"bounced\",\"smtpCode\":552,\"occurredAt\":\"2026-06-01T10:00:00Z\"}").statusCode(201);
        post("{\"recipient\":\"" + cy + "\",\"status\":\"delivered\",\"message\":\"550 5.1.1 <" + cy + ">: Recipient address rejected: User unknown\","
                + "\"occurredAt\":\"2026-06-01T11:00:00Z\"}")
                .statusCode(201)
                .body("event.status", equalTo("delivered"))
                .body("event.failure", equalTo(false))
                .body("diagnosis.diagnoses[0].reason", equalTo("delivered"))
                .body("diagnosis.diagnoses[0].suppress", equalTo(false))
                .body("diagnosis.diagnoses[0].title", containsString("your server reports a failure"))
                .body("recipient.flaggedInvalid", equalTo(false))
                .body("recipient.suppressed", equalTo(false));
    }

    @Test
    void statusesAreNormalisedWithoutCaseAndAnUnknownOneIsA400NamingThem() {
        String d = domain();
        String[][] words = {{"Bounce", "bounced"}, {"Deferred", "deferred"}, {"Dropped", "dropped"}, {"Pending", "pending"},
                {"Delivered", "delivered"}, {"autoresponder", "autoresponded"}, {"spamreport", "complained"}, {"COMPLAINED", "complained"}};
        for (String[] w : words) {
            post("{\"recipient\":\"dee-" + w[0].toLowerCase(java.util.Locale.ROOT) + "@" + d + "\",\"status\":\"" + w[0] + "\"}")
                    .statusCode(201).body("event.status", equalTo(w[1]));
        }
        given().queryParam("sender", (Object) null).queryParam("recipient", "dee-bounce@" + d).queryParam("status", "bounced")
                .when().get("/v1/events").then().body("total", equalTo(1));
        String eve = "eve@" + d;
        post("{\"recipient\":\"" + eve + "\",\"status\":\"totally-made-up\"}")
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("status"))
                .body("errors[0].message", allOf(containsString("totally-made-up"), containsString("bounced"), containsString("opened")));
        recipient(eve).statusCode(404);
        given().contentType(ContentType.JSON).body("[{\"recipient\":\"" + eve + "\",\"status\":\"delivered\"},{\"recipient\":\"" + eve
                        + "\",\"status\":\"nonsense\"}]")
                .when().post("/v1/events/batch").then().statusCode(400).body("errors.field", hasItem("[1].status"));
        recipient(eve).statusCode(404);
    }

    @Test
    void aProvidersOwnCodeAndSuppressionAreTakenWithTheProviderAsTheSource() {
        String d = domain();
        String fay = "fay@" + d;
        post("{\"recipient\":\"" + fay + "\",\"provider\":\"mailgun\",\"status\":\"failed\",\"smtpCode\":605,"
                + "\"message\":\"Not delivering to previously bounced address\"}")
                .statusCode(201)
                .body("event.smtpCode", equalTo(605))
                .body("diagnosis.diagnoses[0].reason", equalTo("suppressed"))
                .body("recipient.suppressed", equalTo(true))
                .body("recipient.suppressedBy", equalTo("mailgun"));
        post("{\"recipient\":\"gus@" + d + "\",\"status\":\"failed\",\"smtpCode\":605}")
                .statusCode(400).body("errors.field", hasItem("smtpCode"));
        post("{\"recipient\":\"hal@" + d + "\",\"status\":\"bounced\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .statusCode(201).body("recipient.suppressed", equalTo(true)).body("recipient.suppressedBy", nullValue());
    }

    @Test
    void anEventIdSentByManyClientsAtOnceIsStoredOnceAndEveryOneGetsTheFirstResult() throws Exception {
        String d = domain();
        for (int n = 0; n < 3; n++) {
            String body = "{\"eventId\":\"race-" + n + "-" + d + "\",\"recipient\":\"ray" + n + "@" + d + "\",\"status\":\"bounced\",\"smtpCode\":552}";
            List<int[]> answers = concurrently(8, i -> {
                var response = post(body).extract();
                return new int[] {response.statusCode(), response.path("event.id")};
            });
            assertEquals(1, answers.stream().filter(a -> a[0] == 201).count(), "exactly one client stores the event");
            assertEquals(7, answers.stream().filter(a -> a[0] == 200).count(), "the others are answered the stored event");
            assertEquals(1, answers.stream().map(a -> a[1]).distinct().count(), "everyone is answered the same event");
            given().queryParam("recipient", "ray" + n + "@" + d).when().get("/v1/events").then().body("total", equalTo(1));
            recipient("ray" + n + "@" + d).body("recipient.consecutiveFailures", equalTo(1));
        }
    }

    @Test
    void eventsForOneRecipientArrivingAtOnceAreAllLoggedAndTheStateIsTheNewestEventsWhateverTheOrder() throws Exception {
        String ida = "ida@" + domain();
        int count = 12;
        // Bounces on the first eleven days, a delivery on the twelfth; sent all at once, in an order nobody controls.
        List<Integer> statuses = concurrently(count, i -> post("{\"eventId\":\"" + ida + "-" + i + "\",\"recipient\":\"" + ida + "\","
                + (i == count - 1 ? "\"status\":\"delivered\"" : "\"status\":\"bounced\",\"smtpCode\":552")
                + ",\"occurredAt\":\"2026-06-" + String.format("%02d", i + 1) + "T10:00:00Z\"}").extract().statusCode());
        assertEquals(List.of(201), statuses.stream().distinct().toList(), "every event is stored");
        List<String> times = given().queryParam("recipient", ida).queryParam("size", 100).when().get("/v1/events").then()
                .body("total", equalTo(count)).extract().path("items.occurredAt");
        List<String> newestFirst = new ArrayList<>(times);
        newestFirst.sort(java.util.Comparator.reverseOrder());
        assertEquals(newestFirst, times, "the log is in the order the events happened");
        recipient(ida).body("recipient.flaggedInvalid", equalTo(false))
                .body("recipient.consecutiveFailures", equalTo(0))
                .body("recipient.lastStatus", equalTo("delivered"))
                .body("recipient.lastEventAt", equalTo("2026-06-12T10:00:00Z"));
    }

    /** Runs {@code n} calls at once (released together) and returns their results in call order. */
    static <T> List<T> concurrently(int n, java.util.function.IntFunction<T> call) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (java.util.concurrent.Future<T> f : futures) {
                results.add(f.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
