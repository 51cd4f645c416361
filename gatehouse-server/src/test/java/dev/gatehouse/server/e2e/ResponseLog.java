package dev.gatehouse.server.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every response any test browser received, kept so the suite can prove that no token ever reached a browser:
 * no JWT-shaped string and none of the exact tokens the provider issued appear in any status line, header or
 * body. The one documented exception is the {@code id_token_hint} of the provider's end-session URL that
 * {@code POST /auth/logout} returns (OpenID Connect RP-Initiated Logout), for a session that has just ended.
 */
public final class ResponseLog {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\.?[A-Za-z0-9_-]*");
    private static final Pattern ID_TOKEN_HINT = Pattern.compile("id_token_hint=[A-Za-z0-9_.%-]+");

    private final List<String> gatewayTexts = new ArrayList<>();
    private final String gatewayOrigin;

    ResponseLog(String gatewayOrigin) {
        this.gatewayOrigin = gatewayOrigin;
    }

    synchronized void record(Browser.Response response) {
        if (!response.uri().toString().startsWith(gatewayOrigin)) {
            return; // the provider's own pages are not ours to judge
        }
        StringBuilder text = new StringBuilder();
        response.headers().map().forEach((k, vs) -> vs.forEach(v -> text.append(k).append(": ").append(v).append('\n')));
        text.append('\n').append(response.body());
        String path = response.uri().getPath();
        String scanned = path.equals("/auth/logout") ? ID_TOKEN_HINT.matcher(text).replaceAll("id_token_hint=(allowed)") : text.toString();
        gatewayTexts.add(response.uri() + " -> " + response.status() + "\n" + scanned);
    }

    public synchronized int size() {
        return gatewayTexts.size();
    }

    /** Responses that contain a JWT-shaped string or any of {@code secrets}; empty when the browser saw none. */
    public synchronized List<String> leaks(java.util.Collection<String> secrets) {
        List<String> leaks = new ArrayList<>();
        for (String text : gatewayTexts) {
            Matcher m = JWT.matcher(text);
            if (m.find()) {
                leaks.add(text.substring(0, Math.min(200, text.length())) + " ... contains a JWT");
                continue;
            }
            for (String secret : secrets) {
                if (secret != null && secret.length() >= 8 && text.contains(secret)) {
                    leaks.add(text.substring(0, Math.min(200, text.length())) + " ... contains a provider token");
                    break;
                }
            }
        }
        return leaks;
    }
}
