package org.scratchimage.testing.registry;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import org.scratchimage.core.tar.ExternalTools;

/**
 * An IPv4 address of this machine that is not loopback, for servers that must be reached the way a remote registry
 * is: the client sends loopback hosts ({@code localhost}, {@code 127.0.0.0/8}) past any proxy. It is the address of
 * an interface that is up (such as the default route's); on a machine with none, {@value #EXTRA}/32 is added to
 * {@code lo} with {@code ip addr add} (root only) and removed by {@link #close()}. An address outside 127.0.0.0/8
 * counts as remote for the client even on {@code lo}; a dummy interface would do too, but many kernels and sandboxes
 * have no {@code dummy} link type.
 */
public final class NonLoopbackAddress implements AutoCloseable {
    static final String EXTRA = "10.213.0.1";

    private final InetAddress address;
    private final boolean added;

    private NonLoopbackAddress(InetAddress address, boolean added) {
        this.address = address;
        this.added = added;
    }

    /** @return an address of an interface that is up, or one added to {@code lo} */
    public static NonLoopbackAddress find() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InetAddress candidate : Collections.list(network.getInetAddresses())) {
                if (candidate instanceof Inet4Address && !candidate.isLoopbackAddress()
                        && !candidate.isLinkLocalAddress() && !candidate.isAnyLocalAddress()) {
                    return new NonLoopbackAddress(candidate, false);
                }
            }
        }
        ExternalTools.require("ip");
        ExternalTools.Result result = ExternalTools.run(List.of("ip", "addr", "add", EXTRA + "/32", "dev", "lo"));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("this machine has no non-loopback IPv4 address, and `ip addr add "
                    + EXTRA + "/32 dev lo` failed (it needs root): " + result.stderr());
        }
        return new NonLoopbackAddress(InetAddress.getByName(EXTRA), true);
    }

    /** @return the address */
    public InetAddress address() {
        return address;
    }

    /** @return the address as text, such as {@code 192.0.2.2} */
    public String text() {
        return address.getHostAddress();
    }

    /** Removes the address from {@code lo} if {@link #find()} added it. */
    @Override
    public void close() {
        if (added) {
            ExternalTools.run(List.of("ip", "addr", "del", EXTRA + "/32", "dev", "lo"));
        }
    }
}
