package chat;

import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;

/**
 * Starts the service. Before Helidon starts, it points the transaction manager's object store into
 * {@code chat.data-dir}, next to the embedded database: the transaction manager reads that setting once, from
 * system properties, while CDI is still booting, so it cannot be configured from a bean.
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
        String dataDir = ConfigProvider.getConfig().getOptionalValue("chat.data-dir", String.class).orElse("./data");
        String store = Path.of(dataDir, "transactions").toString();
        for (String key : OBJECT_STORES) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, store);
            }
        }
        io.helidon.Main.main(args);
    }
}
