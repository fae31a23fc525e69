package org.scratchimage.core;

import org.scratchimage.core.registry.RegistryListener;

/** Receives what a push reports; the Maven adapter routes each level to Maven's log. Never a secret. */
public interface PushListener extends RegistryListener {
    /** A result the user reads on every push: one line per reference, the credential source of each registry. */
    void info(String message);
}
