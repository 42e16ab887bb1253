package chat.identity.boundary;

import chat.identity.control.Caller;
import chat.identity.control.Namespaces;
import chat.problems.Problem;
import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkEC;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Verifies bearer tokens with MicroProfile JWT's own configuration keys, so the usual environment variables work
 * ({@code MP_JWT_VERIFY_PUBLICKEY_LOCATION} and so on): {@code mp.jwt.verify.publickey} (the key itself) or
 * {@code mp.jwt.verify.publickey.location} (a file path or URL), each a PEM public key or certificate, a JWK or a
 * JWKS; {@code mp.jwt.verify.publickey.algorithm} ({@code RS256} by default, or {@code ES256});
 * {@code mp.jwt.verify.issuer}, {@code mp.jwt.verify.audiences}, {@code mp.jwt.verify.clock.skew} (seconds, 60)
 * and {@code mp.jwt.verify.token.age} (seconds). Authentication is on exactly when a key is configured.
 *
 * <p>Signatures are checked by Helidon's JWT verifier. The token's {@code alg} must be the configured one before
 * anything else is looked at, which refuses {@code none} and HMAC tokens signed with the public key as secret.
 * The user is {@code upn}, else {@code preferred_username}, else {@code sub} (as MP JWT names the principal);
 * {@code groups} containing {@code chat-service} marks a trusted backend; {@code namespace} is the tenant.
 */
@ApplicationScoped
public class Tokens {

    static final String BACKEND_GROUP = "chat-service";
    private static final int CACHE_LIMIT = 10_000;

    private final Optional<Verifier> verifier;
    private final ConcurrentHashMap<String, Caller> verified = new ConcurrentHashMap<>();

    /** A configured key and the rules a token must meet. */
    private record Verifier(String algorithm, JwkKeys keys, Jwk key, Optional<String> issuer, Set<String> audiences,
                            Duration skew, Optional<Duration> maxAge) {
    }

    @Inject
    public Tokens(@ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key,
                  @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
                  @ConfigProperty(name = "mp.jwt.verify.publickey.algorithm", defaultValue = "RS256") String algorithm,
                  @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
                  @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<String> audiences,
                  @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") long skewSeconds,
                  @ConfigProperty(name = "mp.jwt.verify.token.age") Optional<Long> maxAgeSeconds) {
        Optional<String> material = key.filter(k -> !k.isBlank()).or(() -> location.filter(l -> !l.isBlank()).map(Tokens::read));
        this.verifier = material.map(text -> verifier(text, algorithm.strip().toUpperCase(Locale.ROOT), issuer,
                audiences, skewSeconds, maxAgeSeconds));
    }

    public boolean enabled() {
        return verifier.isPresent();
    }

    /**
     * The caller a token vouches for.
     *
     * @throws Problem 401 {@code chat.Unauthorized} naming what is wrong (never the token itself)
     */
    public Caller verify(String token) {
        Verifier rules = verifier.orElseThrow(() -> new IllegalStateException("authentication is off"));
        Caller known = verified.get(token);
        if (known == null) {
            known = check(rules, token);
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(token, known);
        }
        Instant now = Instant.now();
        if (now.isAfter(known.expiresAt().plus(rules.skew()))) {
            verified.remove(token);
            throw unauthorized("the token has expired");
        }
        return known;
    }

    private static Caller check(Verifier rules, String token) {
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token);
        } catch (RuntimeException e) {
            throw unauthorized("the token is not a well-formed JWT");
        }
        Jwt jwt = signed.getJwt();
        String algorithm = jwt.algorithm().orElse(Jwk.ALG_NONE);
        if (!algorithm.equals(rules.algorithm())) {
            throw unauthorized("tokens signed with " + shorten(algorithm) + " are not accepted (only "
                    + rules.algorithm() + ")");
        }
        Errors signature;
        try {
            signature = signed.verifySignature(rules.keys(), rules.key());
        } catch (RuntimeException e) {
            throw unauthorized("the token's signature does not verify");
        }
        if (!signature.isValid()) {
            throw unauthorized("the token's signature does not verify");
        }
        Instant now = Instant.now();
        Instant expires = jwt.expirationTime().orElseThrow(() -> unauthorized("the token has no expiry (exp)"));
        if (now.isAfter(expires.plus(rules.skew()))) {
            throw unauthorized("the token has expired");
        }
        if (jwt.notBefore().map(nbf -> now.plus(rules.skew()).isBefore(nbf)).orElse(false)) {
            throw unauthorized("the token is not valid yet (nbf)");
        }
        if (rules.maxAge().isPresent()) {
            Instant issued = jwt.issueTime().orElseThrow(() -> unauthorized("the token has no issue time (iat)"));
            if (now.isAfter(issued.plus(rules.maxAge().get()).plus(rules.skew()))) {
                throw unauthorized("the token is older than allowed");
            }
        }
        if (rules.issuer().isPresent() && !rules.issuer().equals(jwt.issuer())) {
            throw unauthorized("the token comes from another issuer");
        }
        if (!rules.audiences().isEmpty()
                && jwt.audience().orElse(List.of()).stream().noneMatch(rules.audiences()::contains)) {
            throw unauthorized("the token is meant for another audience");
        }
        String user = jwt.userPrincipal().or(jwt::preferredUsername).or(jwt::subject)
                .filter(name -> !name.isBlank())
                .orElseThrow(() -> unauthorized("the token names no user (upn, preferred_username or sub)"));
        String namespace = claim(jwt, "namespace").orElse(Namespaces.DEFAULT);
        if (!Namespaces.valid(namespace)) {
            throw unauthorized("the token's namespace is not a valid namespace");
        }
        boolean backend = jwt.userGroups().orElse(List.of()).contains(BACKEND_GROUP);
        return new Caller(namespace, backend ? Caller.Kind.BACKEND : Caller.Kind.USER, user, expires);
    }

    private static Optional<String> claim(Jwt jwt, String name) {
        return jwt.payloadClaim(name)
                .filter(value -> value.getValueType() == JsonValue.ValueType.STRING)
                .map(value -> ((JsonString) value).getString());
    }

    static Problem unauthorized(String detail) {
        return new Problem("chat.Unauthorized", 401, detail);
    }

    private static String shorten(String value) {
        String clean = value.replaceAll("[^A-Za-z0-9]", "");
        return clean.length() > 10 ? clean.substring(0, 10) : clean;
    }

    private static Verifier verifier(String material, String algorithm, Optional<String> issuer,
                                     Optional<String> audiences, long skewSeconds, Optional<Long> maxAgeSeconds) {
        if (!Set.of("RS256", "ES256").contains(algorithm)) {
            throw new IllegalArgumentException("mp.jwt.verify.publickey.algorithm must be RS256 or ES256, not " + algorithm);
        }
        JwkKeys keys = keys(material.strip(), algorithm);
        Jwk key = keys.keys().stream().filter(k -> algorithm.equals(k.algorithm())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the configured key cannot verify " + algorithm));
        Set<String> audienceSet = Arrays.stream(audiences.orElse("").split(","))
                .map(String::strip).filter(a -> !a.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new Verifier(algorithm, keys, key, issuer.map(String::strip).filter(i -> !i.isEmpty()), audienceSet,
                Duration.ofSeconds(Math.max(0, skewSeconds)), maxAgeSeconds.map(Duration::ofSeconds));
    }

    /** The keys of a PEM public key or certificate, a JWK, or a JWKS. */
    private static JwkKeys keys(String material, String algorithm) {
        if (material.startsWith("{")) {
            JsonObject json = Json.createReader(new StringReader(material)).readObject();
            if (json.containsKey("keys")) {
                return JwkKeys.create(json);
            }
            return JwkKeys.builder().addKey(Jwk.create(json)).build();
        }
        PublicKey key = pem(material);
        Jwk jwk = switch (key) {
            case RSAPublicKey rsa -> JwkRSA.builder().publicKey(rsa).algorithm(algorithm).build();
            case ECPublicKey ec -> JwkEC.builder().publicKey(ec).algorithm(algorithm).build();
            default -> throw new IllegalArgumentException("the configured key is neither RSA nor EC");
        };
        return JwkKeys.builder().addKey(jwk).build();
    }

    private static PublicKey pem(String pem) {
        try {
            if (pem.contains("BEGIN CERTIFICATE")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
            }
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(base64);
            var spec = new X509EncodedKeySpec(der);
            try {
                return KeyFactory.getInstance("RSA").generatePublic(spec);
            } catch (java.security.spec.InvalidKeySpecException notRsa) {
                return KeyFactory.getInstance("EC").generatePublic(spec);
            }
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the configured public key is not a PEM public key or certificate", e);
        }
    }

    /** The key material at a file path, a {@code file:}, {@code http(s):} URL or a {@code classpath:} resource. */
    private static String read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                try (InputStream in = Thread.currentThread().getContextClassLoader()
                        .getResourceAsStream(location.substring("classpath:".length()).replaceFirst("^/", ""))) {
                    if (in == null) {
                        throw new IllegalArgumentException("no resource " + location);
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            if (location.matches("(?i)(file|https?):.*")) {
                try (InputStream in = URI.create(location).toURL().openStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(location));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mp.jwt.verify.publickey.location " + location, e);
        }
    }
}
