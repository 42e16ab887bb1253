package chat.platform;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;

/**
 * Keeps every file the service writes under {@code chat.data-dir} (default {@code ./data}): the embedded database
 * and the transaction manager's object store, which would otherwise land in the working directory. Runs before
 * any bean exists, because the transaction manager reads its settings once, from system properties.
 */
public class DataDirectory implements Extension {

    private static final String[] OBJECT_STORES = {
            "ObjectStoreEnvironmentBean.objectStoreDir",
            "com.arjuna.ats.arjuna.objectstore.objectStoreDir",
            "ObjectStoreEnvironmentBean.stateStore.objectStoreDir",
            "ObjectStoreEnvironmentBean.communicationStore.objectStoreDir",
    };

    void configure(@Observes BeforeBeanDiscovery event) {
        Path dir = Path.of(ConfigProvider.getConfig()
                .getOptionalValue("chat.data-dir", String.class).orElse("./data"));
        String store = dir.resolve("transactions").toString();
        for (String key : OBJECT_STORES) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, store);
            }
        }
    }
}
