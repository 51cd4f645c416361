package dev.gatehouse.identity.passwords;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PasswordHasherTest {
    /** Cheap parameters for tests about behaviour rather than cost. */
    private static final Argon2Parameters LIGHT = new Argon2Parameters(1024, 1, 1, 32, 16);

    private final PasswordHasher hasher = new PasswordHasher(LIGHT, new SecureRandom());

    @Test
    void hashIsAnArgon2idPhcStringCarryingItsParameters() {
        PasswordHasher standard = new PasswordHasher(Argon2Parameters.DEFAULT, new SecureRandom());

        String hash = standard.hash("correct horse battery staple");

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        String[] parts = hash.split("\\$");
        assertThat(Base64.getDecoder().decode(parts[4] + "==")).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5] + "=")).hasSize(32);
        assertThat(standard.verify("correct horse battery staple", hash)).isTrue();
        assertThat(standard.needsRehash(hash)).isFalse();
    }

    @Test
    void saltsComeFromTheInjectedRandomSoEveryHashDiffers() throws Exception {
        String first = new PasswordHasher(LIGHT, seeded(42)).hash("correct horse battery staple");
        String sameSeed = new PasswordHasher(LIGHT, seeded(42)).hash("correct horse battery staple");
        String otherSeed = new PasswordHasher(LIGHT, seeded(43)).hash("correct horse battery staple");

        assertThat(sameSeed).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        assertThat(hasher.hash("correct horse battery staple")).isNotEqualTo(hasher.hash("correct horse battery staple"));
    }

    @Test
    void verifyAcceptsTheRightPasswordAndRefusesAnyOther() {
        String hash = hasher.hash("correct horse battery staple");

        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapl", hash)).isFalse();
        assertThat(hasher.verify("Correct horse battery staple", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void theSamePasswordTypedAsComposedOrDecomposedCharactersVerifies() {
        String composed = "caf\u00e9 au lait, s'il vous pla\u00eet";
        String decomposed = "cafe\u0301 au lait, s'il vous plai\u0302t";

        assertThat(hasher.verify(decomposed, hasher.hash(composed))).isTrue();
    }

    @Test
    void aMissingOrForeignHashNeverVerifies() {
        assertThat(hasher.verify("correct horse battery staple", null)).isFalse();
        assertThat(hasher.verify("correct horse battery staple", "")).isFalse();
        assertThat(hasher.verify("correct horse battery staple", "$argon2id$garbage")).isFalse();
        assertThat(hasher.verify("correct horse battery staple", "$2a$10$abcdefghijklmnopqrstuuCnnxdyKfJ3pXw0Yh8eYhRk3XMRRvm")).isFalse();
        assertThat(hasher.verify("correct horse battery staple",
                hasher.hash("correct horse battery staple").replace("$argon2id$", "$argon2i$"))).isFalse();
        assertThat(hasher.needsRehash(null)).isTrue();
        assertThat(hasher.needsRehash("$2a$10$abcdefghijklmnopqrstuuCnnxdyKfJ3pXw0Yh8eYhRk3XMRRvm")).isTrue();
    }

    @Test
    void hashesMadeWithOlderParametersStillVerifyAndAskToBeRehashed() {
        String old = hasher.hash("correct horse battery staple");
        PasswordHasher raised = new PasswordHasher(new Argon2Parameters(2048, 2, 1, 32, 16), new SecureRandom());

        assertThat(raised.verify("correct horse battery staple", old)).isTrue();
        assertThat(raised.verify("wrong horse battery staple", old)).isFalse();
        assertThat(raised.needsRehash(old)).isTrue();
        String fresh = raised.hash("correct horse battery staple");
        assertThat(raised.needsRehash(fresh)).isFalse();
        assertThat(fresh).contains("$m=2048,t=2,p=1$");
    }

    @Test
    void anyChangedParameterAsksForARehash() {
        String hash = hasher.hash("correct horse battery staple");

        assertThat(hasher.needsRehash(hash)).isFalse();
        assertThat(with(new Argon2Parameters(2048, 1, 1, 32, 16)).needsRehash(hash)).as("memory").isTrue();
        assertThat(with(new Argon2Parameters(1024, 3, 1, 32, 16)).needsRehash(hash)).as("iterations").isTrue();
        assertThat(with(new Argon2Parameters(1024, 1, 2, 32, 16)).needsRehash(hash)).as("parallelism").isTrue();
        assertThat(with(new Argon2Parameters(1024, 1, 1, 48, 16)).needsRehash(hash)).as("hash length").isTrue();
        assertThat(with(new Argon2Parameters(1024, 1, 1, 32, 24)).needsRehash(hash)).as("salt length").isTrue();
    }

    @Test
    void hashingAndCheckingNeverLogOrPrintThePassword() {
        String password = "log-canary-" + HexFormat.of().formatHex(new byte[] {7, 1, 9, 3}) + "-zebra";
        String weak = "Zq-" + HexFormat.of().formatHex(new byte[] {5, 5});
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        root.setLevel(Level.TRACE);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        String message;
        try {
            System.setOut(capture);
            System.setErr(capture);
            // A fresh hasher, so whatever password4j does on first use happens while we listen.
            PasswordHasher fresh = new PasswordHasher(new Argon2Parameters(1024, 1, 1, 32, 16), new SecureRandom());
            String hash = fresh.hash(password);
            fresh.verify(password, hash);
            fresh.verify(password + "x", hash);
            fresh.verify(password, null);
            fresh.verify(password, "$argon2id$broken");
            fresh.needsRehash(hash);
            PasswordPolicy.standard().problem(password);
            try {
                PasswordPolicy.standard().requireAcceptable(weak);
                message = null;
            } catch (WeakPasswordException e) {
                message = e.getMessage();
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.detachAppender(events);
            root.setLevel(before);
        }

        assertThat(message).isEqualTo("Password is too short: use at least 10 characters.");
        StringBuilder logged = new StringBuilder();
        for (ILoggingEvent event : events.list) {
            logged.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                logged.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        String all = logged + printed.toString(StandardCharsets.UTF_8);
        assertThat(all).doesNotContain(password).doesNotContain(weak);
    }

    private static PasswordHasher with(Argon2Parameters parameters) {
        return new PasswordHasher(parameters, new SecureRandom());
    }

    private static SecureRandom seeded(long seed) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return random;
    }
}
