package dev.gatehouse.core.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Standard Webhooks signatures.
 *
 * <pre>{@code
 * Webhook webhook = Webhook.fromSecret(System.getenv("WEBHOOK_SECRET"));   // whsec_...
 * webhook.verify(rawBodyBytes, request::getHeader);                         // throws when not genuine
 * }</pre>
 */
public final class Webhook {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String PREFIX = "whsec_";

    private final byte[] key;
    private final Clock clock;

    private Webhook(byte[] key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** A verifier for a {@code whsec_} secret (the prefix is optional); the rest is the base64 key. */
    public static Webhook fromSecret(String secret) {
        return fromSecret(secret, Clock.systemUTC());
    }

    public static Webhook fromSecret(String secret, Clock clock) {
        String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret is not base64 after whsec_");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        return new Webhook(key, clock);
    }

    /** Verifies with headers from a map (names in any case). */
    public void verify(byte[] body, Map<String, String> headers) throws WebhookVerificationException {
        Map<String, String> lower = new java.util.HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        verify(body, lower::get);
    }

    /**
     * Verifies a webhook. {@code header} looks up a request header by lower-case name; the {@code webhook-*}
     * headers are read, or the {@code svix-*} ones when those are absent.
     */
    public void verify(byte[] body, Function<String, String> header) throws WebhookVerificationException {
        String id = first(header, "webhook-id", "svix-id");
        String timestamp = first(header, "webhook-timestamp", "svix-timestamp");
        String signatures = first(header, "webhook-signature", "svix-signature");
        if (id == null || timestamp == null || signatures == null) {
            throw new WebhookVerificationException("Missing required headers");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("Invalid signature headers");
        }
        // Compared as seconds: Instant.ofEpochSecond would throw an unchecked exception for a huge header value.
        long now = clock.instant().getEpochSecond();
        if (seconds < now - TOLERANCE.getSeconds()) {
            throw new WebhookVerificationException("Message timestamp too old");
        }
        if (seconds > now + TOLERANCE.getSeconds()) {
            throw new WebhookVerificationException("Message timestamp too new");
        }
        byte[] expected = sign(id, seconds, body);
        for (String item : signatures.trim().split(" ")) {
            int comma = item.indexOf(',');
            if (comma <= 0 || !item.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(item.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new WebhookVerificationException("No matching signature found");
    }

    /** The {@code v1} signature for a message, as the sender computes it (for tests and senders). */
    public String signature(String id, long timestampSeconds, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(sign(id, timestampSeconds, body));
    }

    private byte[] sign(String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String first(Function<String, String> header, String name, String fallback) {
        String v = header.apply(name);
        return v != null ? v : header.apply(fallback);
    }
}
