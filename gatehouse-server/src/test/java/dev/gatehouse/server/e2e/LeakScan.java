package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** The end-of-class check every e2e class runs: no token reached a browser, and no log line holds a JWT. */
final class LeakScan {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+");

    private LeakScan() {
    }

    static void assertNothingLeaked(GatewayHarness h) {
        assertThat(h.responses().size()).as("responses recorded for the scan").isPositive();
        assertThat(h.responses().leaks(h.tokensSeenUpstream())).as("browser responses holding a token").isEmpty();
        assertThat(LogRecorder.lines()).as("log lines holding a JWT").noneMatch(line -> JWT.matcher(line).find());
    }
}
