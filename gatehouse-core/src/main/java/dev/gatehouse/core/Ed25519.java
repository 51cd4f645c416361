package dev.gatehouse.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

/**
 * EdDSA (Ed25519) signature checks with the JDK's own provider (JDK 15+), so the SDK needs no extra crypto
 * library. Only the key encoding (RFC 8032 point bytes) is converted here; the signature maths is the JDK's.
 */
final class Ed25519 implements JWSVerifier {
    private final PublicKey key;
    private final JCAContext context = new JCAContext();

    Ed25519(OctetKeyPair jwk) throws JOSEException {
        this.key = decode(jwk.getX().decode());
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signingInput);
            return s.verify(signature.decode());
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    }

    @Override
    public JCAContext getJCAContext() {
        return context;
    }

    /** RFC 8032 encoding: little-endian y with the parity of x in the top bit. */
    static PublicKey decode(byte[] encoded) throws JOSEException {
        if (encoded.length != 32) {
            throw new JOSEException("an Ed25519 key has 32 bytes");
        }
        byte[] le = encoded.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(
                    new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be))));
        } catch (java.security.GeneralSecurityException e) {
            throw new JOSEException("not an Ed25519 key", e);
        }
    }

    static byte[] encode(EdECPublicKey key) {
        byte[] be = key.getPoint().getY().toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < be.length && i < 32; i++) {
            le[i] = be[be.length - 1 - i];
        }
        if (key.getPoint().isXOdd()) {
            le[31] |= (byte) 0x80;
        }
        return le;
    }
}
