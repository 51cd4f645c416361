package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8725 §3 and the JWT negative corpus (security checklist §5a, §7 test 7) against the SDK verifier. */
class AlgorithmSafetyTest {
    private final TestClock clock = TestClock.atWholeSecond();
    private final KeyPair rsa = Jws.rsa(2048);
    private final KeyPair ec = Jws.ec("secp256r1");
    private final Gatehouse rsaGatehouse = pem(Jws.pem(rsa.getPublic()));
    private final Gatehouse ecGatehouse = pem(Jws.pem(ec.getPublic()));

    private Gatehouse pem(String pem) {
        return Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE).publicKeyPem(pem).clock(clock).build();
    }

    private Map<String, Object> claims() {
        return Jws.claims(clock.instant());
    }

    private static AuthReason reason(Gatehouse g, String token) throws Exception {
        return g.authenticateRequest(AuthRequest.bearer(token)).reason();
    }

    private String payload() {
        return Jws.b64(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void controlTokensSignedProperlyAreAccepted() throws Exception {
        // Without this, every refusal below could come from a broken fixture rather than from the check it names.
        assertThat(reason(rsaGatehouse, Jws.token(Jws.header("RS256", "k1"), claims(), Jws.rs256(rsa.getPrivate())))).isNull();
        assertThat(reason(ecGatehouse, Jws.token(Jws.header("ES256", "k1"), claims(), Jws.es256(ec.getPrivate())))).isNull();
    }

    @Test
    void anUnsignedTokenIsInvalid() throws Exception {
        String header = Jws.b64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(reason(rsaGatehouse, header + "." + payload() + ".")).isEqualTo(AuthReason.TOKEN_INVALID);
        assertThat(reason(rsaGatehouse, header + "." + payload())).isEqualTo(AuthReason.TOKEN_INVALID);
    }

    @Test
    void noneInAnyCaseIsNeverAnAllowedAlgorithm() throws Exception {
        for (String none : List.of("NONE", "None", "nOnE")) {
            String header = Jws.b64(("{\"alg\":\"" + none + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(reason(rsaGatehouse, header + "." + payload() + ".")).as(none).isEqualTo(AuthReason.TOKEN_INVALID);
            assertThat(reason(rsaGatehouse, header + "." + payload() + ".AA")).as(none).isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
        }
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        // The classic confusion: a verifier that lets the header pick the algorithm would use the public key as an HMAC secret.
        byte[] pemBytes = Jws.pem(rsa.getPublic()).getBytes(StandardCharsets.US_ASCII);
        byte[] derBytes = rsa.getPublic().getEncoded();
        for (byte[] secret : List.of(pemBytes, derBytes)) {
            for (String alg : List.of("HS256", "HS384", "HS512")) {
                String token = Jws.token(Jws.header(alg, "k1"), claims(), Jws.hs256(secret));
                assertThat(reason(rsaGatehouse, token)).as(alg).isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
            }
        }
    }

    @Test
    void anAlgorithmOutsideTheAllowlistIsRefusedEvenWithAValidSignature() throws Exception {
        assertThat(reason(rsaGatehouse, Jws.token(Jws.header("PS256", "k1"), claims(), Jws.ps256(rsa.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
        KeyPair p384 = Jws.ec("secp384r1");
        assertThat(reason(pem(Jws.pem(p384.getPublic())), Jws.token(Jws.header("ES384", "k1"), claims(), Jws.es384(p384.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
        Gatehouse rsOnly = Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE).publicKeyPem(Jws.pem(ec.getPublic()))
                .algorithms(Gatehouse.Algorithm.RS256).clock(clock).build();
        assertThat(reason(rsOnly, Jws.token(Jws.header("ES256", "k1"), claims(), Jws.es256(ec.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
    }

    @Test
    void aHeaderAlgorithmThatDoesNotFitTheKeyIsRefused() throws Exception {
        assertThat(reason(ecGatehouse, Jws.token(Jws.header("RS256", "k1"), claims(), Jws.rs256(rsa.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
        assertThat(reason(rsaGatehouse, Jws.token(Jws.header("ES256", "k1"), claims(), Jws.es256(ec.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
        // A P-384 key must not verify an ES256 token: the curve belongs to the algorithm.
        KeyPair p384 = Jws.ec("secp384r1");
        assertThat(reason(pem(Jws.pem(p384.getPublic())), Jws.token(Jws.header("ES256", "k1"), claims(), Jws.es384(p384.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
    }

    @Test
    void criticalHeaderParametersAreRefused() throws Exception {
        Map<String, Object> header = Jws.header("ES256", "k1");
        header.put("crit", List.of("x-gatehouse-binding"));
        header.put("x-gatehouse-binding", "cnf");
        assertThat(reason(ecGatehouse, Jws.token(header, claims(), Jws.es256(ec.getPrivate())))).isEqualTo(AuthReason.TOKEN_INVALID);
        Map<String, Object> registered = Jws.header("ES256", "k1");
        registered.put("crit", List.of("exp"));
        assertThat(reason(ecGatehouse, Jws.token(registered, claims(), Jws.es256(ec.getPrivate())))).isEqualTo(AuthReason.TOKEN_INVALID);
    }

    @Test
    void aKidThatDoesNotNameTheConfiguredKeyIsAMismatch() throws Exception {
        Gatehouse named = Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE).publicKeyPem(Jws.pem(ec.getPublic()), "key-2026")
                .clock(clock).build();
        assertThat(reason(named, Jws.token(Jws.header("ES256", "key-2025"), claims(), Jws.es256(ec.getPrivate()))))
                .isEqualTo(AuthReason.JWK_KID_MISMATCH);
        assertThat(reason(named, Jws.token(Jws.header("ES256", "key-2026"), claims(), Jws.es256(ec.getPrivate())))).isNull();
        assertThat(reason(named, Jws.token(Jws.header("ES256", null), claims(), Jws.es256(ec.getPrivate())))).isNull();
    }

    @Test
    void anEs256SignatureOfZerosIsInvalid() throws Exception {
        // CVE-2022-21449: Java 15-18 accepted r = s = 0 for any message and key.
        assertThat(reason(ecGatehouse, Jws.token(Jws.header("ES256", "k1"), claims(), Jws.fixed(new byte[64]))))
                .isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
    }

    @Test
    void aTamperedOrTruncatedSignatureIsInvalid() throws Exception {
        String good = Jws.token(Jws.header("ES256", "k1"), claims(), Jws.es256(ec.getPrivate()));
        String truncated = good.substring(0, good.length() - 4);
        assertThat(reason(ecGatehouse, truncated)).isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
        KeyPair other = Jws.ec("secp256r1");
        assertThat(reason(ecGatehouse, Jws.token(Jws.header("ES256", "k1"), claims(), Jws.es256(other.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
        String[] parts = good.split("\\.");
        Map<String, Object> changed = claims();
        changed.put("sub", "admin");
        String swapped = parts[0] + "." + Jws.b64(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(changed)
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(reason(ecGatehouse, swapped)).isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
    }

    @Test
    void aKeyEmbeddedInTheHeaderIsNotTrusted() throws Exception {
        KeyPair attacker = Jws.ec("secp256r1");
        Map<String, Object> header = Jws.header("ES256", "k1");
        header.put("jwk", new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                (java.security.interfaces.ECPublicKey) attacker.getPublic()).build().toJSONObject());
        assertThat(reason(ecGatehouse, Jws.token(header, claims(), Jws.es256(attacker.getPrivate()))))
                .isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
    }

    @Test
    void anEncryptedTokenIsNotASignedOne() throws Exception {
        String jwe = Jws.b64("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}".getBytes(StandardCharsets.UTF_8)) + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA";
        assertThat(reason(ecGatehouse, jwe)).isEqualTo(AuthReason.TOKEN_INVALID);
    }

    @Test
    void aTypeOtherThanAnAccessTokenIsRefused() throws Exception {
        // RFC 8725 §3.11: a logout token or an ID-token-typed JWT must not pass as a per-service token.
        for (String typ : List.of("logout+jwt", "id_token+jwt", "JWE")) {
            Map<String, Object> header = Jws.header("ES256", "k1");
            header.put("typ", typ);
            assertThat(reason(ecGatehouse, Jws.token(header, claims(), Jws.es256(ec.getPrivate())))).as(typ).isEqualTo(AuthReason.TOKEN_INVALID);
        }
        for (String typ : List.of("JWT", "at+jwt")) {
            Map<String, Object> header = Jws.header("ES256", "k1");
            header.put("typ", typ);
            assertThat(reason(ecGatehouse, Jws.token(header, claims(), Jws.es256(ec.getPrivate())))).as(typ).isNull();
        }
    }

    @Test
    void malformedTokensAreInvalidNotErrors() throws Exception {
        for (String junk : Arrays.asList("x", "a.b", "a.b.c", "....", "eyJ.eyJ.eyJ", "\u0000.\u0000.\u0000", "Bearer")) {
            assertThat(reason(ecGatehouse, junk)).as(junk).isEqualTo(AuthReason.TOKEN_INVALID);
        }
    }
}
