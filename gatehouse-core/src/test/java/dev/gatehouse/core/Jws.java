package dev.gatehouse.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens assembled by hand ({@code base64url(header).base64url(payload).base64url(signature)}), so a test controls
 * every header member and payload byte the verifier sees, including the malformed and hostile ones a JOSE
 * library would refuse to produce. Signing uses the JDK's providers.
 */
final class Jws {
    static final String ISSUER = "https://gatehouse.example.com";
    static final String AUDIENCE = "billing-api";

    private Jws() {
    }

    interface Signer {
        byte[] sign(byte[] input) throws GeneralSecurityException;
    }

    static String token(Map<String, Object> header, Map<String, Object> claims, Signer signer) {
        return token(JSONObjectUtils.toJSONString(header), JSONObjectUtils.toJSONString(claims).getBytes(StandardCharsets.UTF_8), signer);
    }

    static String token(String headerJson, byte[] payload, Signer signer) {
        String input = b64(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload);
        try {
            return input + "." + b64(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        if (kid != null) {
            h.put("kid", kid);
        }
        h.put("typ", "at+jwt");
        return h;
    }

    /** Claims of a valid per-service token issued at {@code now}, living 60 s. */
    static Map<String, Object> claims(Instant now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("sub", "user_1");
        c.put("aud", List.of(AUDIENCE));
        c.put("iat", now.getEpochSecond());
        c.put("nbf", now.getEpochSecond());
        c.put("exp", now.getEpochSecond() + 60);
        c.put("jti", java.util.UUID.randomUUID().toString());
        return c;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Signer es256(PrivateKey key) {
        return input -> jdk("SHA256withECDSAinP1363Format", key, input);
    }

    static Signer es384(PrivateKey key) {
        return input -> jdk("SHA384withECDSAinP1363Format", key, input);
    }

    static Signer rs256(PrivateKey key) {
        return input -> jdk("SHA256withRSA", key, input);
    }

    static Signer ps256(PrivateKey key) {
        return input -> {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            s.initSign(key);
            s.update(input);
            return s.sign();
        };
    }

    static Signer ed25519(PrivateKey key) {
        return input -> jdk("Ed25519", key, input);
    }

    static Signer hs256(byte[] secret) {
        return input -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input);
        };
    }

    static Signer fixed(byte[] signature) {
        return input -> signature;
    }

    private static byte[] jdk(String algorithm, PrivateKey key, byte[] input) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(input);
        return s.sign();
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as a {@code -----BEGIN PUBLIC KEY-----} PEM (X.509 SubjectPublicKeyInfo), 64 characters a line. */
    static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }
}
