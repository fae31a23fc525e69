package org.scratchimage.core;

import java.util.List;

/**
 * The image's accounts ({@code <accounts>}): validated, rendered as {@code /etc/passwd} and {@code /etc/group}, and
 * added with their home folders to the layer {@code <accountsLayer>} names.
 */
final class Accounts {
    private final List<AccountSpec> declared;

    private Accounts(List<AccountSpec> declared) {
        this.declared = declared;
    }

    /** @return the request's accounts, validated; none when {@code <accounts>} is not set */
    static Accounts of(BuildRequest request) throws InvalidConfigurationException {
        return new Accounts(request.accounts());
    }

    /** Adds {@code /etc/passwd}, {@code /etc/group} and the homes to the image; nothing without accounts. */
    void addTo(LayerEntries collector) throws InvalidConfigurationException {
        // Stub: the generation follows.
    }
}
