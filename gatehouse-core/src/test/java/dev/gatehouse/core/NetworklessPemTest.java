package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.RSAKeyGenParameterSpec;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verification with one PEM public key and no network: RSA of any size and exponent, EC, and Ed25519 on request. */
class NetworklessPemTest {
    private final TestClock clock = TestClock.atWholeSecond();

    private Gatehouse.Builder builder(KeyPair key) {
        return Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE).publicKeyPem(Jws.pem(key.getPublic())).clock(clock);
    }

    private Map<String, Object> claims() {
        return Jws.claims(clock.instant());
    }

    private static RequestState authenticate(Gatehouse g, String token) throws Exception {
        return g.authenticateRequest(AuthRequest.bearer(token));
    }

    @Test
    void rsaKeysOfEverySizeAndExponentVerify() throws Exception {
        // Clerk's JS SDK cut the modulus out of the PEM by string surgery, which only works for 2048-bit keys with e=65537.
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(3072, BigInteger.valueOf(3)));
        for (KeyPair key : new KeyPair[] {Jws.rsa(2048), Jws.rsa(4096), g.generateKeyPair()}) {
            RequestState state = authenticate(builder(key).build(), Jws.token(Jws.header("RS256", "k1"), claims(), Jws.rs256(key.getPrivate())));
            assertThat(state.isSignedIn()).isTrue();
        }
    }

    @Test
    void ecP256KeysVerify() throws Exception {
        KeyPair key = Jws.ec("secp256r1");
        assertThat(authenticate(builder(key).build(), Jws.token(Jws.header("ES256", "k1"), claims(), Jws.es256(key.getPrivate())))
                .toAuth().userId()).isEqualTo("user_1");
    }

    @Test
    void ed25519VerifiesOnlyWhenEdDsaIsConfigured() throws Exception {
        KeyPair key = Jws.ed25519();
        String eddsa = Jws.token(Jws.header("EdDSA", "k1"), claims(), Jws.ed25519(key.getPrivate()));
        String fullySpecified = Jws.token(Jws.header("Ed25519", "k1"), claims(), Jws.ed25519(key.getPrivate()));
        Gatehouse defaults = builder(key).build();
        assertThat(authenticate(defaults, eddsa).reason()).isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
        assertThat(authenticate(defaults, fullySpecified).reason()).isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
        Gatehouse withEdDsa = builder(key).algorithms(Gatehouse.Algorithm.EDDSA).build();
        assertThat(authenticate(withEdDsa, eddsa).isSignedIn()).isTrue();
        assertThat(authenticate(withEdDsa, fullySpecified).isSignedIn()).isTrue();
    }

    @Test
    void ed25519SignaturesAreReallyChecked() throws Exception {
        KeyPair key = Jws.ed25519();
        Gatehouse withEdDsa = builder(key).algorithms(Gatehouse.Algorithm.EDDSA).build();
        String forged = Jws.token(Jws.header("EdDSA", "k1"), claims(), Jws.ed25519(Jws.ed25519().getPrivate()));
        assertThat(authenticate(withEdDsa, forged).reason()).isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
        assertThat(authenticate(withEdDsa, Jws.token(Jws.header("EdDSA", "k1"), claims(), Jws.fixed(new byte[64]))).reason())
                .isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
        // An RSA-signed token cannot borrow the Ed25519 key, nor an EdDSA token an EC key.
        KeyPair ec = Jws.ec("secp256r1");
        Gatehouse ecWithEdDsa = builder(ec).algorithms(Gatehouse.Algorithm.ES256, Gatehouse.Algorithm.EDDSA).build();
        assertThat(authenticate(ecWithEdDsa, Jws.token(Jws.header("EdDSA", "k1"), claims(), Jws.ed25519(key.getPrivate()))).reason())
                .isEqualTo(AuthReason.TOKEN_INVALID_ALGORITHM);
    }

    @Test
    void manyEd25519KeysRoundTripThroughTheirPem() throws Exception {
        // The point encoding (little-endian y, x parity in the top bit) is converted by hand; odd and even x both occur.
        for (int i = 0; i < 32; i++) {
            KeyPair key = Jws.ed25519();
            Gatehouse g = builder(key).algorithms(Gatehouse.Algorithm.EDDSA).build();
            assertThat(authenticate(g, Jws.token(Jws.header("EdDSA", null), claims(), Jws.ed25519(key.getPrivate()))).isSignedIn())
                    .as("key %d", i).isTrue();
        }
    }
}
