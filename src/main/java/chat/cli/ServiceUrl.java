package chat.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.net.URISyntaxException;

/** {@code --url}: an http or https address with a host; a trailing slash is dropped, as paths are appended to it. */
final class ServiceUrl implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        String trimmed = value.strip().replaceAll("/+$", "");
        try {
            URI uri = new URI(trimmed);
            if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
                    || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new TypeConversionException("'" + value + "' is not an http(s) address such as http://localhost:8080");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new TypeConversionException("'" + value + "' is not an http(s) address such as http://localhost:8080");
        }
    }
}
