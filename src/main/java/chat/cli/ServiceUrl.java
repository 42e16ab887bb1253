package chat.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.net.URISyntaxException;

/** {@code --url}: an http or https address with a host; a trailing slash is dropped, as paths are appended to it. */
final class ServiceUrl implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        URI uri;
        try {
            uri = new URI(value.strip().replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            throw notAnAddress(value);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw notAnAddress(value);
        }
        return uri;
    }

    private static TypeConversionException notAnAddress(String value) {
        return new TypeConversionException("'" + value + "' is not an http(s) address such as http://localhost:8080");
    }
}
