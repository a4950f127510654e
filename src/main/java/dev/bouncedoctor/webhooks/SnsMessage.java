package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An Amazon SNS HTTP(S) message as SNS posts it (a JSON body sent as text/plain): the fields its signature covers and
 * the signature itself. Subject, SubscribeURL and Token are null where the type has none.
 */
record SnsMessage(String type, String messageId, String topicArn, String subject, String message, String timestamp,
                  String subscribeUrl, String token, String signatureVersion, String signature, String signingCertUrl) {

    static final String NOTIFICATION = "Notification";
    static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
    static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

    static SnsMessage parse(ObjectMapper json, byte[] body) {
        JsonNode root = ProviderJson.read(json, "body", new String(body, StandardCharsets.UTF_8));
        if (!root.isObject()) {
            throw ProviderJson.invalid("body", "send the SNS message as a JSON object");
        }
        SnsMessage m = new SnsMessage(ProviderJson.text(root, "Type"), ProviderJson.text(root, "MessageId"), ProviderJson.text(root, "TopicArn"),
                ProviderJson.text(root, "Subject"), ProviderJson.text(root, "Message"), ProviderJson.text(root, "Timestamp"),
                ProviderJson.text(root, "SubscribeURL"), ProviderJson.text(root, "Token"), ProviderJson.text(root, "SignatureVersion"),
                ProviderJson.text(root, "Signature"), ProviderJson.text(root, "SigningCertURL"));
        List<String> missing = new ArrayList<>();
        for (String[] f : new String[][] {{"Type", m.type}, {"MessageId", m.messageId}, {"TopicArn", m.topicArn}, {"Message", m.message},
                {"Timestamp", m.timestamp}}) {
            if (f[1] == null) {
                missing.add(f[0]);
            }
        }
        if (m.isConfirmation() && m.subscribeUrl == null) {
            missing.add("SubscribeURL");
        }
        if (m.isConfirmation() && m.token == null) {
            missing.add("Token");
        }
        if (!missing.isEmpty()) {
            throw ProviderJson.invalid("body", "an SNS message needs " + String.join(", ", missing));
        }
        return m;
    }

    boolean isConfirmation() {
        return SUBSCRIPTION_CONFIRMATION.equals(type) || UNSUBSCRIBE_CONFIRMATION.equals(type);
    }

    /**
     * The text SNS signs: each covered field as its name, a newline, its value, a newline, in SNS's fixed order. A
     * Notification covers its Subject only when it has one; the confirmations cover their SubscribeURL and Token.
     */
    String canonical() {
        StringBuilder s = new StringBuilder();
        add(s, "Message", message);
        add(s, "MessageId", messageId);
        if (isConfirmation()) {
            add(s, "SubscribeURL", subscribeUrl);
        } else if (subject != null) {
            add(s, "Subject", subject);
        }
        add(s, "Timestamp", timestamp);
        if (isConfirmation()) {
            add(s, "Token", token);
        }
        add(s, "TopicArn", topicArn);
        add(s, "Type", type);
        return s.toString();
    }

    private static void add(StringBuilder s, String key, String value) {
        s.append(key).append('\n').append(value).append('\n');
    }
}
