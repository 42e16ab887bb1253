package chat;

import chat.cli.Cli;
import chat.platform.ServiceLogManager;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.sql.SQLException;

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
 * <p>
 * The embedded database is one process's: H2 locks its file, and a second process on the same {@code chat.data-dir}
 * stops at once with a message that says so (exit status 2) instead of H2's advice to use its server mode.
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
        if (System.getProperty("java.util.logging.manager") == null) {
            // before anything logs: the lines of an orderly stop must survive the JDK's own shutdown hook
            System.setProperty("java.util.logging.manager", ServiceLogManager.class.getName());
        }
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
        try {
            io.helidon.Main.main(new String[0]);
        } catch (RuntimeException e) {
            if (embeddedInUse(e)) {
                System.err.println("chat: the embedded database in " + dataDir + " is in use by another process. The"
                        + " embedded database serves one instance only; to run several instances, give them one"
                        + " PostgreSQL database (CHAT_DB_URL).");
                System.exit(2);
            }
            throw e;
        }
    }

    /**
     * True when H2 refused to open its file because another process holds it (its error 90020): the file lock that
     * keeps a second process from corrupting the embedded database.
     */
    static boolean embeddedInUse(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == 90020) {
                return true;
            }
        }
        return false;
    }
}
