package dev.gatehouse.core;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Networkless verification with one public key given as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SPKI),
 * parsed properly for RSA, EC (P-256/384/521) and Ed25519 keys. Any {@code kid} maps to this key; a key id given
 * with the PEM must match when the token names one.
 */
final class FixedKey implements KeySource {
    private final JWK key;
    private final String keyId;

    FixedKey(String pem, String keyId) {
        this.keyId = keyId;
        this.key = parse(pem);
    }

    @Override
    public JWK key(String kid) throws InvalidTokenException {
        if (keyId != null && kid != null && !keyId.equals(kid)) {
            throw new InvalidTokenException(AuthReason.JWK_KID_MISMATCH, "The token's key id does not match the configured key.");
        }
        return key;
    }

    static JWK parse(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PEM public key");
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                PublicKey k = KeyFactory.getInstance(algorithm).generatePublic(spec);
                if (k instanceof RSAPublicKey rsa) {
                    return new RSAKey.Builder(rsa).build();
                }
                if (k instanceof ECPublicKey ec) {
                    return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
                }
                if (k instanceof EdECPublicKey ed) {
                    return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Ed25519.encode(ed))).build();
                }
            } catch (java.security.GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the PEM public key is not an RSA, EC or Ed25519 key");
    }
}
