package dev.gatehouse.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimTemplateTest {

    /** A context backed by a map of dotted paths; anything not in it is absent (null). */
    private static TemplateContext context(Object... pathsAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i + 1 < pathsAndValues.length; i += 2) {
            values.put((String) pathsAndValues[i], pathsAndValues[i + 1]);
        }
        return path -> values.get(String.join(".", path));
    }

    private static Object eval(String template, TemplateContext context) throws TemplateException {
        return ClaimTemplate.parse(template).evaluate(context);
    }

    @Test
    void singlePlaceholderKeepsTheValueItsOwnType() throws Exception {
        List<String> permissions = List.of("org:billing:read", "org:billing:write");
        assertThat(eval("{{org.permissions}}", context("org.permissions", permissions))).isEqualTo(permissions);
        assertThat(eval("{{user.public_metadata.seats}}", context("user.public_metadata.seats", 12))).isEqualTo(12);
        assertThat(eval("{{ user.email }}", context("user.email", "a@example.com"))).isEqualTo("a@example.com");
    }

    @Test
    void singlePlaceholderWithNoValueLeavesTheClaimOut() throws Exception {
        assertThat(eval("{{org.id}}", context())).isNull();
        assertThat(eval("{{user.public_metadata.plan}}", context("user.public_metadata.plan", ""))).isNull();
    }

    @Test
    void textAroundPlaceholdersIsInterpolatedWithAbsentValuesAsEmptyText() throws Exception {
        TemplateContext c = context("user.id", "u42", "org.slug", "acme");
        assertThat(eval("user-{{user.id}}", c)).isEqualTo("user-u42");
        assertThat(eval("{{org.slug}}/{{user.id}}!", c)).isEqualTo("acme/u42!");
        assertThat(eval("team-{{org.role}}", c)).isEqualTo("team-");
    }

    @Test
    void fallbacksTakeTheFirstPresentValueOrAQuotedLiteral() throws Exception {
        String plan = "{{user.public_metadata.plan || 'free'}}";
        assertThat(eval(plan, context("user.public_metadata.plan", "pro"))).isEqualTo("pro");
        assertThat(eval(plan, context())).isEqualTo("free");
        assertThat(eval("{{org.slug || user.id || \"nobody\"}}", context("user.id", "u1"))).isEqualTo("u1");
        assertThat(eval("{{org.slug || user.id || \"nobody\"}}", context())).isEqualTo("nobody");
        assertThat(eval("plan={{user.public_metadata.plan || 'free'}}", context())).isEqualTo("plan=free");
    }

    @Test
    void emptyStringFallsThroughToTheNextAlternative() throws Exception {
        assertThat(eval("{{user.email || 'none'}}", context("user.email", ""))).isEqualTo("none");
    }

    @Test
    void quotedLiteralMayHoldSpacesAndSymbols() throws Exception {
        assertThat(eval("{{org.name || 'No org, sorry'}}", context())).isEqualTo("No org, sorry");
    }

    @Test
    void textWithoutPlaceholdersAndNonStringsAreLiterals() throws Exception {
        assertThat(eval("billing", context("user.id", "x"))).isEqualTo("billing");
        assertThat(ClaimTemplate.literal(7).evaluate(context())).isEqualTo(7);
        assertThat(ClaimTemplate.literal(true).evaluate(context())).isEqualTo(true);
    }

    @Test
    void everyDocumentedPlaceholderParses() throws Exception {
        for (String path : List.of("user.id", "user.email", "user.name", "user.picture", "user.public_metadata",
                "user.public_metadata.plan", "user.public_metadata.limits.seats", "org.id", "org.slug", "org.name",
                "org.role", "org.permissions", "session.id")) {
            assertThat(eval("{{" + path + "}}", context(path, "v"))).as(path).isEqualTo("v");
        }
    }

    @Test
    void unknownPlaceholderIsRejectedNamingIt() {
        assertThatThrownBy(() -> ClaimTemplate.parse("{{user.password}}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown placeholder user.password")
                .hasMessageContaining("user.email");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{org}}")).hasMessageContaining("unknown placeholder org");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{session.token}}")).hasMessageContaining("unknown placeholder session.token");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{user.email || env.SECRET}}")).hasMessageContaining("unknown placeholder env.SECRET");
    }

    @Test
    void badSyntaxIsRejectedWithAMessage() {
        assertThatThrownBy(() -> ClaimTemplate.parse("hello {{user.email"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("unclosed {{");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{}}")).hasMessageContaining("empty placeholder");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{  }}")).hasMessageContaining("empty placeholder");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{user email}}")).hasMessageContaining("'user email' is neither a path");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{user.email ||}}")).hasMessageContaining("'' is neither a path");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{'free}}")).hasMessageContaining("is neither a path");
        assertThatThrownBy(() -> ClaimTemplate.parse("{{user..email}}")).hasMessageContaining("is neither a path");
    }
}
