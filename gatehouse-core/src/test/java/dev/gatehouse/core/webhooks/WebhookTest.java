package dev.gatehouse.core.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Standard Webhooks verification. The vector is the one published with the specification's reference libraries
 * (standard-webhooks/standard-webhooks, libraries/java WebhookTest#verifyWebhookSignWorks, and the Svix libraries):
 * a verifier that passes it interoperates with every conforming sender, Clerk's (through Svix) included.
 */
class WebhookTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static Webhook at(long epochSecond) {
        return Webhook.fromSecret(SECRET, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static Map<String, String> headers(String prefix, String id, long timestamp, String signature) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(prefix + "-id", id);
        h.put(prefix + "-timestamp", Long.toString(timestamp));
        h.put(prefix + "-signature", signature);
        return h;
    }

    @Test
    void thePublishedTestVectorSignsAndVerifies() throws Exception {
        assertThat(at(TIMESTAMP).signature(ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
        assertThatCode(() -> at(TIMESTAMP).verify(BODY, headers("webhook", ID, TIMESTAMP, SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void svixHeadersAreReadWhenTheStandardOnesAreAbsent() {
        // Clerk sends svix-id, svix-timestamp and svix-signature.
        assertThatCode(() -> at(TIMESTAMP).verify(BODY, headers("svix", ID, TIMESTAMP, SIGNATURE))).doesNotThrowAnyException();
        assertThatCode(() -> at(TIMESTAMP).verify(BODY, headers("Svix", ID, TIMESTAMP, SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void theSecretPrefixIsOptional() {
        Webhook bare = Webhook.fromSecret(SECRET.substring("whsec_".length()), Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC));
        assertThatCode(() -> bare.verify(BODY, headers("webhook", ID, TIMESTAMP, SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void oneMatchingSignatureAmongSeveralIsEnough() {
        // Secret rotation: the sender signs with the old and the new secret during the overlap.
        String header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,AAAA v1a,zzzz not-a-signature " + SIGNATURE + " v1,!!!";
        assertThatCode(() -> at(TIMESTAMP).verify(BODY, headers("webhook", ID, TIMESTAMP, header))).doesNotThrowAnyException();
    }

    @Test
    void bothSecretsOfARotationVerifyTheSameDelivery() throws Exception {
        String newSecret = "whsec_" + Base64.getEncoder().encodeToString("a-new-32-byte-webhook-secret-key".getBytes(StandardCharsets.US_ASCII));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);
        Webhook old = Webhook.fromSecret(SECRET, clock);
        Webhook rotated = Webhook.fromSecret(newSecret, clock);
        String both = old.signature(ID, TIMESTAMP, BODY) + " " + rotated.signature(ID, TIMESTAMP, BODY);
        old.verify(BODY, headers("webhook", ID, TIMESTAMP, both));
        rotated.verify(BODY, headers("webhook", ID, TIMESTAMP, both));
        assertThatThrownBy(() -> rotated.verify(BODY, headers("webhook", ID, TIMESTAMP, SIGNATURE)))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("No matching signature found");
    }

    @Test
    void theRightSignatureUnderAnotherVersionDoesNotCount() {
        String v2 = "v2," + SIGNATURE.substring(3);
        assertThatThrownBy(() -> at(TIMESTAMP).verify(BODY, headers("webhook", ID, TIMESTAMP, v2)))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("No matching signature found");
    }

    @Test
    void timestampsWithinFiveMinutesEitherWayAreAccepted() {
        assertThatCode(() -> at(TIMESTAMP + 300).verify(BODY, headers("webhook", ID, TIMESTAMP, SIGNATURE))).doesNotThrowAnyException();
        assertThatCode(() -> at(TIMESTAMP - 300).verify(BODY, headers("webhook", ID, TIMESTAMP, SIGNATURE))).doesNotThrowAnyException();
    }

    @Test
    void timestampsBeyondFiveMinutesEitherWayAreRefused() {
        assertThatThrownBy(() -> at(TIMESTAMP + 301).verify(BODY, headers("webhook", ID, TIMESTAMP, SIGNATURE)))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("Message timestamp too old");
        assertThatThrownBy(() -> at(TIMESTAMP - 301).verify(BODY, headers("webhook", ID, TIMESTAMP, SIGNATURE)))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("Message timestamp too new");
    }

    @Test
    void aReplayWithAFreshTimestampButTheOldSignatureFails() {
        // The timestamp is signed, so moving it forward to beat the tolerance breaks the signature.
        assertThatThrownBy(() -> at(TIMESTAMP + 3600).verify(BODY, headers("webhook", ID, TIMESTAMP + 3600, SIGNATURE)))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("No matching signature found");
    }

    @Test
    void aTamperedBodyOrIdFails() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> at(TIMESTAMP).verify(tampered, headers("webhook", ID, TIMESTAMP, SIGNATURE)))
                .isInstanceOf(WebhookVerificationException.class).hasMessage("No matching signature found");
        assertThatThrownBy(() -> at(TIMESTAMP).verify(BODY, headers("webhook", "msg_other", TIMESTAMP, SIGNATURE)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void theRawBodyIsSignedNotItsJsonMeaning() {
        // Re-serialising the parsed JSON (here: the space dropped) is the most common integration bug the spec warns of.
        byte[] reserialised = "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> at(TIMESTAMP).verify(reserialised, headers("webhook", ID, TIMESTAMP, SIGNATURE)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void bodiesThatAreNotUtf8VerifyByteForByte() throws Exception {
        byte[] latin1 = "{\"name\": \"Zo\u00eb\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80};
        Webhook w = at(TIMESTAMP);
        for (byte[] body : new byte[][] {latin1, binary}) {
            w.verify(body, headers("webhook", ID, TIMESTAMP, w.signature(ID, TIMESTAMP, body)));
        }
        // Decoding and re-encoding as UTF-8 changes the bytes, and so the signature.
        byte[] roundTripped = new String(latin1, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> w.verify(roundTripped, headers("webhook", ID, TIMESTAMP, w.signature(ID, TIMESTAMP, latin1))))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void missingHeadersAreRefused() {
        for (String missing : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
            Map<String, String> h = headers("webhook", ID, TIMESTAMP, SIGNATURE);
            h.remove(missing);
            assertThatThrownBy(() -> at(TIMESTAMP).verify(BODY, h)).as(missing)
                    .isInstanceOf(WebhookVerificationException.class).hasMessage("Missing required headers");
        }
    }

    @Test
    void malformedTimestampsAreRefusedAsVerificationFailures() {
        // A header value must never escape as an unchecked exception (a 500 instead of a 400 in the caller's endpoint).
        for (String bad : new String[] {"soon", "1614265330.5", "", "99999999999999999999", "9223372036854775807", "-9223372036854775808"}) {
            Map<String, String> h = headers("webhook", ID, TIMESTAMP, SIGNATURE);
            h.put("webhook-timestamp", bad);
            assertThatThrownBy(() -> at(TIMESTAMP).verify(BODY, h)).as(bad).isInstanceOf(WebhookVerificationException.class);
        }
    }

    @Test
    void unusableSecretsAreRefusedAtConstruction() {
        assertThatThrownBy(() -> Webhook.fromSecret("whsec_")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Webhook.fromSecret("whsec_not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not base64!");
    }

    @Test
    void headerLookupIsCaseInsensitiveWithAMap() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Webhook-Id", ID);
        h.put("WEBHOOK-TIMESTAMP", Long.toString(TIMESTAMP));
        h.put("webhook-Signature", SIGNATURE);
        assertThatCode(() -> at(TIMESTAMP).verify(BODY, h)).doesNotThrowAnyException();
    }
}
