package dev.gatehouse.app.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without a screen, for protocol-level tests: one cookie jar shared by every 127.0.0.1 server (as real
 * browsers share cookies across ports), {@code Secure} honoured on loopback http like browsers do for localhost,
 * redirects followed by hand so each hop can be seen, and HTML forms read and submitted.
 */
final class ScriptedBrowser {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern INPUT = Pattern.compile("<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"");

    record Response(int status, URI uri, String location, String body) {
    }

    private final Map<String, String> cookies = new LinkedHashMap<>();
    /** Every response seen, in order: what a test inspects for hops and leaks. */
    final List<Response> seen = new ArrayList<>();

    /** A top-level navigation, not followed. */
    Response navigate(String url) {
        return send(request(url).header("Accept", "text/html").header("Sec-Fetch-Mode", "navigate")
                .header("Sec-Fetch-Site", "none").header("Sec-Fetch-Dest", "document").GET().build());
    }

    /** Navigates and follows redirects; returns every hop, the last being the page that was shown. */
    List<Response> navigateFollowing(String url) {
        List<Response> hops = new ArrayList<>();
        Response r = navigate(url);
        hops.add(r);
        for (int i = 0; i < 15 && r.status() >= 300 && r.status() < 400; i++) {
            r = navigate(r.uri().resolve(r.location()).toString());
            hops.add(r);
        }
        return hops;
    }

    /** Posts the page's only form (its hidden fields plus {@code fields}) and follows the redirects. */
    List<Response> submit(Response page, Map<String, String> fields) {
        Matcher action = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"").matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no form on " + page.uri() + ":\n" + page.body());
        }
        Map<String, String> form = new LinkedHashMap<>();
        Matcher hidden = INPUT.matcher(page.body());
        while (hidden.find()) {
            form.put(hidden.group(1), unescape(hidden.group(2)));
        }
        form.putAll(fields);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI target = page.uri().resolve(action.group(1));
        Response r = send(request(target.toString()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", target.getScheme() + "://" + target.getRawAuthority()).header("Sec-Fetch-Mode", "navigate")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        List<Response> hops = new ArrayList<>();
        hops.add(r);
        if (r.status() >= 300 && r.status() < 400) {
            hops.addAll(navigateFollowing(r.uri().resolve(r.location()).toString()));
        }
        return hops;
    }

    /** A same-origin {@code fetch} from the SPA; state-changing ones carry {@code X-CSRF: 1}. */
    Response fetch(String method, String url) {
        HttpRequest.Builder b = request(url).header("Accept", "application/json").header("Sec-Fetch-Mode", "cors")
                .header("Sec-Fetch-Site", "same-origin");
        if (!method.equals("GET")) {
            b.header("X-CSRF", "1");
        }
        return send(b.method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", header.toString());
        }
        return b;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> res = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            for (String set : res.headers().allValues("set-cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || set.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            Response r = new Response(res.statusCode(), res.uri(), res.headers().firstValue("location").orElse(null), res.body());
            seen.add(r);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
