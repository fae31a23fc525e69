package org.scratchimage.testing.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that talks to one of Debian's registries, anonymous over plain HTTP on a free loopback port: started
 * once before the class's tests, stopped after them. The test classes run one at a time, so the one field serves
 * each class in its turn.
 */
public abstract class AnonymousRegistryTest {
    /** The class's registry, while its tests run. */
    protected static RegistryServer registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = RegistryServer.anonymous();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }
}
