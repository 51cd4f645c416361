package dev.gatehouse.identity.http;

import dev.gatehouse.identity.passwords.PasswordPolicy;
import dev.gatehouse.identity.provider.Page;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@link Page}s as HTML from the templates next to this class ({@code layout.html} around one template
 * per page). {@code {{name}}} inserts an HTML-escaped value, {@code {{{name}}}} a fragment built here from
 * escaped values. Templates are read once; rendering allocates only the page. Thread-safe.
 */
final class PageRenderer {
    private static final Pattern SLOT = Pattern.compile("\\{\\{(\\{?)([a-zA-Z]+)}?}}");

    private final Map<String, String> templates = new HashMap<>();
    private final String stylesheet;

    PageRenderer() {
        for (String name : new String[] {"layout", "sign-in", "sign-up", "choose-organization", "sign-out", "message"}) {
            templates.put(name, resource(name + ".html"));
        }
        stylesheet = resource("gatehouse.css");
    }

    String stylesheet() {
        return stylesheet;
    }

    String message(String title, String text) {
        return render(new Page.Message(title, text));
    }

    String render(Page page) {
        if (page instanceof Page.SignIn p) {
            String signUp = p.signUpAllowed() ? "<p class=\"alt\">No account yet? <a href=\"" + escape(withTx("/sign-up", p.tx()))
                    + "\">Create one</a></p>" : "";
            return layout("Sign in", fill("sign-in", Map.of("problem", problem(p.problem()), "csrf", p.csrf(),
                    "tx", hidden("tx", p.tx()), "email", orEmpty(p.email()), "signUpLink", signUp)));
        }
        if (page instanceof Page.SignUp p) {
            return layout("Create your account", fill("sign-up", Map.of("problem", problem(p.problem()), "csrf", p.csrf(),
                    "tx", hidden("tx", p.tx()), "email", orEmpty(p.email()), "name", orEmpty(p.name()),
                    "minLength", String.valueOf(PasswordPolicy.MIN_LENGTH), "signInHref", withTx("/sign-in", p.tx()))));
        }
        if (page instanceof Page.ChooseOrganization p) {
            StringBuilder choices = new StringBuilder();
            for (Page.Choice c : p.choices()) {
                choices.append("<button type=\"submit\" name=\"organization\" value=\"").append(escape(c.id())).append('"')
                        .append(c.id().equals(p.current()) ? " class=\"current\"" : "").append('>')
                        .append(escape(c.name())).append("<small>").append(escape(c.slug())).append(" · ")
                        .append(escape(c.role())).append("</small></button>\n");
            }
            if (p.choices().isEmpty()) {
                choices.append("<p>You are not a member of any organization.</p>");
            }
            String hidden = hidden("tx", p.tx()) + hidden("client_id", p.clientId()) + hidden("return_to", p.returnTo());
            return layout("Choose an organization", fill("choose-organization", Map.of("csrf", p.csrf(),
                    "tx", hidden, "choices", choices.toString())));
        }
        if (page instanceof Page.SignOut p) {
            String hidden = hidden("client_id", p.clientId()) + hidden("post_logout_redirect_uri", p.postLogoutRedirectUri())
                    + hidden("state", p.state());
            return layout("Sign out", fill("sign-out", Map.of("csrf", p.csrf(), "hidden", hidden)));
        }
        Page.Message m = (Page.Message) page;
        return layout(m.title(), fill("message", Map.of("text", m.text())));
    }

    private String layout(String title, String content) {
        return fill("layout", Map.of("title", title, "content", content));
    }

    private String fill(String template, Map<String, String> values) {
        Matcher m = SLOT.matcher(templates.get(template));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(2));
            if (value == null) {
                throw new IllegalStateException("template " + template + " has no value for " + m.group(2));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).isEmpty() ? escape(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String problem(String text) {
        return text == null ? "" : "<p class=\"problem\" role=\"alert\">" + escape(text) + "</p>";
    }

    private static String hidden(String name, String value) {
        return value == null ? "" : "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">\n";
    }

    private static String withTx(String path, String tx) {
        return tx == null ? path : path + "?tx=" + java.net.URLEncoder.encode(tx, StandardCharsets.UTF_8);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = PageRenderer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
