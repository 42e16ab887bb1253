package chat.platform;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CrossOriginRulesTest {

    @Test
    void noListAllowsNoOrigin() {
        var cors = new CrossOrigin(Optional.empty());

        assertThat("any origin", cors.allows("http://localhost:8080"), is(false));
    }

    @Test
    void originsAreNormalised() {
        assertThat(CrossOrigin.parse(" HTTPS://App.Example.com/ ,http://localhost:3000"),
                containsInAnyOrder("https://app.example.com", "http://localhost:3000"));
    }

    @Test
    void emptyEntriesAreIgnored() {
        assertThat(CrossOrigin.parse(" , "), is(empty()));
    }

    @Test
    void wildcardIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CrossOrigin.parse("*"));
    }

    @Test
    void originWithPathIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CrossOrigin.parse("https://app.example.com/chat"));
    }

    @Test
    void originWithoutSchemeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CrossOrigin.parse("app.example.com"));
    }

    @Test
    void originMatchesOnlyExactly() {
        var cors = new CrossOrigin(Optional.of("https://app.example.com"));

        assertThat("exact", cors.allows("https://app.example.com"), is(true));
        assertThat("other port", cors.allows("https://app.example.com:8443"), is(false));
        assertThat("suffix", cors.allows("https://app.example.com.evil.net"), is(false));
        assertThat("scheme", cors.allows("http://app.example.com"), is(false));
    }

    @Test
    void theSameHostAndPortIsTheServicesOwnOrigin() {
        assertThat("same", CrossOrigin.sameOrigin("http://localhost:8080", "localhost:8080"), is(true));
        assertThat("case", CrossOrigin.sameOrigin("http://LocalHost:8080", "localhost:8080"), is(true));
        assertThat("default port", CrossOrigin.sameOrigin("https://chat.example.org", "chat.example.org:443"), is(true));
        assertThat("default port in the origin", CrossOrigin.sameOrigin("http://chat.example.org", "chat.example.org"),
                is(true));
        assertThat("other port", CrossOrigin.sameOrigin("http://localhost:3000", "localhost:8080"), is(false));
        assertThat("other host", CrossOrigin.sameOrigin("http://evil.example", "localhost:8080"), is(false));
        assertThat("a suffix is another host", CrossOrigin.sameOrigin("http://localhost.evil.example:8080",
                "localhost:8080"), is(false));
        assertThat("the opaque origin", CrossOrigin.sameOrigin("null", "localhost:8080"), is(false));
        assertThat("no host", CrossOrigin.sameOrigin("http://localhost:8080", null), is(false));
        assertThat("a host with a path is no host", CrossOrigin.sameOrigin("http://localhost:8080", "localhost:8080/x"),
                is(false));
    }
}
