package dev.gatehouse.identity.provider;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without JavaScript: the JDK HTTP client with one cookie (the provider's {@code gatehouse-idp}), no
 * automatic redirects (tests look at each {@code Location}), and form helpers that read hidden inputs from the
 * page. Every response is kept, so tests can scan them all for secrets.
 */
final class TestBrowser {
    record Page(int status, String body, URI location, List<String> setCookies) {
        /** The value of the hidden input {@code name}, or null. */
        String hidden(String name) {
            Matcher m = Pattern.compile("<input type=\"hidden\" name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"")
                    .matcher(body);
            return m.find() ? m.group(1).replace("&amp;", "&").replace("&quot;", "\"") : null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final List<Page> seen = new ArrayList<>();
    String cookie;

    Page get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    Page post(URI uri, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    static String form(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            if (v != null) {
                b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return b.toString();
    }

    static Map<String, String> fields(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private Page send(HttpRequest.Builder b) {
        if (cookie != null) {
            b.header("Cookie", "gatehouse-idp=" + cookie);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            List<String> setCookies = r.headers().allValues("Set-Cookie");
            for (String c : setCookies) {
                if (c.startsWith("gatehouse-idp=")) {
                    String value = c.substring("gatehouse-idp=".length(), c.indexOf(';'));
                    cookie = value.isEmpty() ? null : value;
                }
            }
            Page page = new Page(r.statusCode(), r.body(), r.headers().firstValue("Location").map(URI::create).orElse(null),
                    setCookies);
            seen.add(page);
            return page;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
