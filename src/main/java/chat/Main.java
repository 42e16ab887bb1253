package chat;

import chat.cli.Cli;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;

/**
 * The jar's entry point. Without arguments, or with just {@code serve}, it runs the service; with anything else it is
 * the command line client ({@link Cli}), chosen before any of the server is touched, so that a client command never
 * starts CDI or reads the service's configuration.
 * <p>
 * Before Helidon starts, serving listens on {@code 127.0.0.1} only when no key for tokens is configured
 * (authentication off) and {@code server.host} is not set, makes {@code chat.data-dir} absolute and points the
 * transaction manager's object store into {@code chat.data-dir}, next to the embedded database: the transaction
 * manager reads that setting once, from system properties, while CDI is still booting, so it cannot be configured
 * from a bean.
 */
public final class Main {

    static final String[] OBJECT_STORES = {
            "ObjectStoreEnvironmentBean.objectStoreDir",
            "ObjectStoreEnvironmentBean.stateStore.objectStoreDir",
            "ObjectStoreEnvironmentBean.communicationStore.objectStoreDir",
    };

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args.length == 1 && args[0].equals("serve")) {
            serve();
        } else {
            Cli.main(args);
        }
    }

    private static void serve() {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue("server.host", String.class).isEmpty()) {
            // without a key nobody needs a token: then only this machine may reach the service, unless the
            // operator says otherwise
            boolean keyed = config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent()
                    || config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent();
            System.setProperty("server.host", keyed ? "0.0.0.0" : "127.0.0.1");
        }
        Path dataDir = Path.of(config.getOptionalValue("chat.data-dir", String.class)
                .orElse("./data")).toAbsolutePath().normalize();
        // H2 refuses a relative path such as "data" (only "./data"); an absolute one always works
        System.setProperty("chat.data-dir", dataDir.toString());
        String store = dataDir.resolve("transactions").toString();
        for (String key : OBJECT_STORES) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, store);
            }
        }
        io.helidon.Main.main(new String[0]);
    }
}
