package dev.gatehouse.server.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to the gateway, for requests no HTTP client library will send as written: a
 * request target with {@code ..}, {@code %2f} or a backslash kept byte for byte, {@code Host}, {@code Connection}
 * and {@code Upgrade} headers of our choosing, or a body sent in pieces. Every request carries
 * {@code Connection: close} unless the caller wrote its own {@code Connection} header, so the answer ends when the
 * gateway closes. Answers are handed to the harness's {@link ResponseLog} like the {@link Browser}'s.
 */
final class RawHttp {
    /** A guard against hanging forever when the gateway holds a connection open; not a timing assertion. */
    static final int READ_TIMEOUT_MS = 30_000;

    private final GatewayHarness h;

    RawHttp(GatewayHarness h) {
        this.h = h;
    }

    /** Sends {@code METHOD target HTTP/1.1} with the given header lines (each {@code Name: value}) and no body. */
    Browser.Response send(String method, String target, String... headerLines) {
        return send(method, target, null, headerLines);
    }

    Browser.Response send(String method, String target, byte[] body, String... headerLines) {
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, target, body == null ? -1 : body.length, headerLines));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream(), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Socket open() throws IOException {
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), h.gateway.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /** The request head; {@code contentLength} -1 means none is written (the caller may add its own framing). */
    byte[] head(String method, String target, int contentLength, String... headerLines) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean host = false;
        boolean connection = false;
        for (String line : headerLines) {
            String lower = line.toLowerCase(Locale.ROOT);
            host |= lower.startsWith("host:");
            connection |= lower.startsWith("connection:");
            head.append(line).append("\r\n");
        }
        if (!host) {
            head.append("Host: 127.0.0.1:").append(h.gateway.port()).append("\r\n");
        }
        if (!connection) {
            head.append("Connection: close\r\n");
        }
        if (contentLength >= 0) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one whole response (framed by Content-Length, chunked encoding, or the connection closing) and records
     * it for the no-token scan.
     */
    Browser.Response read(InputStream in, String target) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; !complete(all.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) >= 0; ) {
            all.write(buf, 0, n);
        }
        Browser.Response response = parse(all.toByteArray(), target);
        h.responses().record(response);
        return response;
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        String body = text.substring(end + 4);
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return body.length() >= Integer.parseInt(line.substring(15).trim());
            }
            if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
                return body.startsWith("0\r\n\r\n") || body.contains("\r\n0\r\n\r\n");
            }
        }
        return head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304");
    }

    private Browser.Response parse(byte[] raw, String target) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete response head: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = dechunk(body);
        }
        URI uri = URI.create(h.baseUrl() + "/raw");
        try {
            uri = URI.create(h.baseUrl() + target);
        } catch (IllegalArgumentException e) {
            // a deliberately malformed target: the log only needs the origin
        }
        return new Browser.Response(status, HttpHeaders.of(headers, (a, b) -> true),
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), uri);
    }

    static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int lineEnd = body.indexOf("\r\n", i);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(i, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
