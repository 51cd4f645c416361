package dev.gatehouse.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathPatternTest {

    @Test
    void doubleStarAtRootMatchesEveryPath() {
        PathPattern all = new PathPattern("/**");

        assertThat(all.matches("/")).isTrue();
        assertThat(all.matches("/index.html")).isTrue();
        assertThat(all.matches("/a/b/c/")).isTrue();
    }

    @Test
    void trailingDoubleStarMatchesThePrefixItselfAndAnythingBelowIt() {
        PathPattern api = new PathPattern("/api/**");

        assertThat(api.matches("/api")).isTrue();
        assertThat(api.matches("/api/")).isTrue();
        assertThat(api.matches("/api/orders")).isTrue();
        assertThat(api.matches("/api/orders/42/lines")).isTrue();
    }

    @Test
    void trailingDoubleStarDoesNotMatchASiblingWithTheSameLetters() {
        PathPattern api = new PathPattern("/api/**");

        assertThat(api.matches("/apix")).isFalse();
        assertThat(api.matches("/apix/orders")).isFalse();
        assertThat(api.matches("/ap")).isFalse();
        assertThat(api.matches("/")).isFalse();
        assertThat(api.matches("/v2/api/x")).isFalse();
    }

    @Test
    void nestedDoubleStarNeedsEveryLiteralSegment() {
        PathPattern billing = new PathPattern("/api/billing/**");

        assertThat(billing.matches("/api/billing")).isTrue();
        assertThat(billing.matches("/api/billing/invoices/1")).isTrue();
        assertThat(billing.matches("/api/billings")).isFalse();
        assertThat(billing.matches("/api/bill")).isFalse();
        assertThat(billing.matches("/api")).isFalse();
    }

    @Test
    void singleStarMatchesExactlyOneNonEmptySegment() {
        PathPattern items = new PathPattern("/api/*/items");

        assertThat(items.matches("/api/shop/items")).isTrue();
        assertThat(items.matches("/api/shop/items/")).isTrue();
        assertThat(items.matches("/api/items")).isFalse();
        assertThat(items.matches("/api//items")).isFalse();
        assertThat(items.matches("/api/a/b/items")).isFalse();
        assertThat(items.matches("/api/shop/items/42")).isFalse();
        assertThat(items.matches("/api/shop/itemsx")).isFalse();
        assertThat(items.matches("/api/shop")).isFalse();
    }

    @Test
    void trailingSingleStarMatchesOneSegmentOnly() {
        PathPattern one = new PathPattern("/api/*");

        assertThat(one.matches("/api/x")).isTrue();
        assertThat(one.matches("/api")).isFalse();
        assertThat(one.matches("/api/")).isFalse();
        assertThat(one.matches("/api/x/y")).isFalse();
    }

    @Test
    void exactPatternMatchesOnlyThatPathWithOptionalTrailingSlash() {
        PathPattern health = new PathPattern("/health");

        assertThat(health.matches("/health")).isTrue();
        assertThat(health.matches("/health/")).isTrue();
        assertThat(health.matches("/healthz")).isFalse();
        assertThat(health.matches("/health/x")).isFalse();
        assertThat(health.matches("/heal")).isFalse();
        assertThat(health.matches("/")).isFalse();
    }

    @Test
    void rootPatternMatchesOnlyTheRoot() {
        PathPattern root = new PathPattern("/");

        assertThat(root.matches("/")).isTrue();
        assertThat(root.matches("/x")).isFalse();
    }

    @Test
    void matchingIsCaseSensitive() {
        assertThat(new PathPattern("/api/admin/**").matches("/api/Admin")).isFalse();
    }

    @Test
    void describesItselfByItsSource() {
        assertThat(new PathPattern("/api/*/items")).hasToString("/api/*/items");
    }
}
