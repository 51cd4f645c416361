package dev.gatehouse.server.session;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The session cookie: its name, its attributes and the random values it carries.
 *
 * <p>Name {@code __Host-gatehouse}, or plain {@code gatehouse} when the public URL is {@code http://localhost} or
 * {@code http://127.0.0.1} (browsers refuse {@code __Host-} cookies without TLS there). Always {@code Secure},
 * {@code HttpOnly}, {@code Path=/}, no {@code Domain}, {@code SameSite=Lax} unless configured {@code Strict}.
 * The login transaction cookie follows the same rules with the suffix {@code -login} and a 10-minute life.
 */
public final class SessionCookie {
    /** Length of a cookie value: 32 random bytes in unpadded base64url. */
    public static final int VALUE_LENGTH = 43;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String name;
    private final String loginName;
    private final String attributes;
    private final String loginAttributes;
    private final SecureRandom random;

    public SessionCookie(URI publicUrl, boolean strict, SecureRandom random) {
        boolean plainLocal = publicUrl.getScheme().equalsIgnoreCase("http");
        this.name = plainLocal ? "gatehouse" : "__Host-gatehouse";
        this.loginName = name + "-login";
        this.attributes = "; Path=/; Secure; HttpOnly; SameSite=" + (strict ? "Strict" : "Lax");
        // The login cookie must survive the cross-site top-level redirect back from the provider, so it is Lax.
        this.loginAttributes = "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600";
        this.random = random;
    }

    public String name() {
        return name;
    }

    public String loginName() {
        return loginName;
    }

    /** A fresh 256-bit random value. */
    public String newValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** True when {@code value} has the shape of a value this class made; anything else is not looked up. */
    public static boolean wellFormed(String value) {
        if (value == null || value.length() != VALUE_LENGTH) {
            return false;
        }
        for (int i = 0; i < VALUE_LENGTH; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The store key for a cookie value: unpadded base64url of its SHA-256. */
    public static String hash(String value) {
        MessageDigest sha256 = SHA256.get();
        return B64.encodeToString(sha256.digest(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    /** One digest per thread: looking the algorithm up in the provider list on every request costs more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public String set(String value) {
        return name + "=" + value + attributes;
    }

    public String clear() {
        return name + "=" + attributes + "; Max-Age=0";
    }

    public String setLogin(String value) {
        return loginName + "=" + value + loginAttributes;
    }

    /** The value of cookie {@code cookieName} in a {@code Cookie} request header, or null. No allocation but the result. */
    public static String find(String cookieHeader, String cookieName) {
        if (cookieHeader == null) {
            return null;
        }
        int n = cookieName.length();
        int i = 0;
        int len = cookieHeader.length();
        while (i < len) {
            while (i < len && (cookieHeader.charAt(i) == ' ' || cookieHeader.charAt(i) == ';')) {
                i++;
            }
            int end = cookieHeader.indexOf(';', i);
            if (end < 0) {
                end = len;
            }
            if (end - i > n && cookieHeader.charAt(i + n) == '=' && cookieHeader.regionMatches(i, cookieName, 0, n)) {
                int valueEnd = end;
                while (valueEnd > i + n + 1 && cookieHeader.charAt(valueEnd - 1) == ' ') {
                    valueEnd--;
                }
                return cookieHeader.substring(i + n + 1, valueEnd);
            }
            i = end + 1;
        }
        return null;
    }

    /**
     * The {@code Cookie} header without the gateway's own cookies, or null when nothing else remains.
     * Upstreams never see the session or login cookie.
     */
    public String withoutOwnCookies(String cookieHeader) {
        if (cookieHeader == null || !cookieHeader.contains(name)) {
            return cookieHeader;
        }
        StringBuilder out = new StringBuilder(cookieHeader.length());
        for (String part : cookieHeader.split(";")) {
            String p = part.trim();
            if (p.isEmpty() || p.startsWith(name + "=") || p.startsWith(loginName + "=")) {
                continue;
            }
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(p);
        }
        return out.length() == 0 ? null : out.toString();
    }
}
