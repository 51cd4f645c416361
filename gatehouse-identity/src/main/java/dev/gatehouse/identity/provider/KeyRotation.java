package dev.gatehouse.identity.provider;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the signing keys every {@code period}, measured from when the current key was made (kept in the key
 * file, so a restart does not reset it). Checked at construction (a provider that was down past the period
 * rotates before it signs anything), before every signature (no key signs past its period), and every
 * {@link #CHECK_EVERY} on its own daemon thread (an idle provider still publishes the new key). Never on an event
 * loop: a rotation writes the key file. Thread-safe.
 */
final class KeyRotation implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    private final ProviderKeys keys;
    private final Duration period;
    private final ScheduledExecutorService timer;

    KeyRotation(ProviderKeys keys, Duration period) {
        this.keys = keys;
        this.period = period;
        rotateIfDue();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-key-rotation");
            t.setDaemon(true);
            return t;
        });
        long every = CHECK_EVERY.toMillis();
        timer.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    ProviderKeys keys() {
        return keys;
    }

    /** The key to sign with now, after rotating if the current one has signed for the period. */
    ECKey signingKey() {
        rotateIfDue();
        return keys.signingKey();
    }

    /** Rotates when due; returns whether it did. Blocking file I/O when it rotates. */
    boolean rotateIfDue() {
        boolean rotated = keys.rotateIfOlderThan(period);
        if (rotated) {
            LOG.info("Embedded provider signing key rotated (every {}): new key {}", period, keys.signingKey().getKeyID());
        }
        return rotated;
    }

    private void checkQuietly() {
        try {
            rotateIfDue();
        } catch (RuntimeException e) {
            // the next check or signature tries again; signing goes on with the current key meanwhile
            LOG.error("Embedded provider signing key rotation failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
