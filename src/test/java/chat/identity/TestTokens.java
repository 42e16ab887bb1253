package chat.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.mp.MpConfigSources;
import org.eclipse.microprofile.config.spi.ConfigSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Tokens for the tests, signed by a key pair made here: the service is configured with its public key (PEM).
 * Everything a test needs to break a token on purpose too: another key, {@code alg: none}, HMAC with the public
 * key as secret, times, issuer, audience.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.test";
    public static final String AUDIENCE = "chat-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    private TestTokens(KeyPair keys) {
        this.keys = keys;
    }

    public static TestTokens rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TestTokens(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configuration that turns authentication on with this public key: for a test's {@code @AddConfigSource}. */
    public ConfigSource configSource() {
        return MpConfigSources.create(Map.of("mp.jwt.verify.publickey", publicKeyPem()));
    }

    /** The public key as PEM, as an operator would configure it. */
    public String publicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** The claims of a valid token for this user: issuer, audience, an hour of life. */
    public static ObjectNode claims(String user) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("sub", user)
                .put("iss", ISSUER)
                .put("iat", now)
                .put("exp", now + 3600);
        claims.putArray("aud").add(AUDIENCE);
        return claims;
    }

    public static ObjectNode backendClaims(String name) {
        ObjectNode claims = claims(name);
        claims.putArray("groups").add("chat-service");
        return claims;
    }

    public String token(String user) {
        return sign(claims(user));
    }

    public String sign(ObjectNode claims) {
        return signWith("RS256", claims);
    }

    private String signWith(String algorithm, ObjectNode claims) {
        String signingInput = part(JSON.createObjectNode().put("alg", algorithm).put("typ", "JWT")) + "." + part(claims);
        try {
            byte[] signature;
            if (algorithm.equals("RS256")) {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initSign(keys.getPrivate());
                rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                signature = rsa.sign();
            } else {
                // the classic algorithm confusion: HMAC keyed with the (public) verification key
                Mac hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(publicKeyPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
                signature = hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            }
            return signingInput + "." + URL.encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 with the public key as the HMAC secret. */
    public String hmacWithThePublicKey(ObjectNode claims) {
        return signWith("HS256", claims);
    }

    /** {@code alg: none}, no signature. */
    public static String unsigned(ObjectNode claims) {
        return part(JSON.createObjectNode().put("alg", "none").put("typ", "JWT")) + "." + part(claims) + ".";
    }

    private static String part(ObjectNode json) {
        try {
            return URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String withAudience(String user, String audience) {
        ObjectNode claims = claims(user);
        claims.putArray("aud").add(audience);
        return sign(claims);
    }
}
