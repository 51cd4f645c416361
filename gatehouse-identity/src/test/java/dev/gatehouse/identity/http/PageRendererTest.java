package dev.gatehouse.identity.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.provider.Page;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageRendererTest {
    private final PageRenderer renderer = new PageRenderer();

    @Test
    void valuesAreEscapedSoAnEmailCannotInjectMarkup() {
        String html = renderer.render(new Page.SignIn("tx\"1", "csrf<", "\"><script>alert(1)</script>", "a<b", true));
        assertThat(html).doesNotContain("<script>").contains("&quot;&gt;&lt;script&gt;").contains("a&lt;b")
                .contains("value=\"csrf&lt;\"").contains("name=\"tx\" value=\"tx&quot;1\"");
    }

    @Test
    void organizationChoiceMarksTheCurrentOneAndEscapesNames() {
        String html = renderer.render(new Page.ChooseOrganization(null, "c", List.of(
                new Page.Choice("org_1", "Acme <Inc>", "acme", "org:admin"), new Page.Choice("org_2", "Globex", "globex", "org:member")),
                "org_2", null, null));
        assertThat(html).contains("Acme &lt;Inc&gt;").contains("value=\"org_2\" class=\"current\"")
                .doesNotContain("name=\"tx\"");
    }

    @Test
    void everyPageUsesTheLayoutAndTheStylesheet() {
        String html = renderer.render(new Page.Message("Signed out", "You are signed out."));
        assertThat(html).startsWith("<!doctype html>").contains("<title>Signed out · Gatehouse</title>")
                .contains("href=\"/assets/gatehouse.css\"");
        assertThat(renderer.stylesheet()).contains(".card");
    }
}
