package org.splitnve.nvedataplane.port;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.link.LinkException;

/**
 * How a data port reaches its NIC: {@link #RING} ({@code AF_PACKET} rings, {@link RingDataPort}), {@link #PCAP}
 * (libpcap, {@link LinkDataPort}), or {@link #AUTO}: rings where they can be set up, else libpcap with one log
 * line saying why.
 */
public enum PortIo {
    AUTO, RING, PCAP;

    private static final Logger LOG = LoggerFactory.getLogger(PortIo.class);

    /**
     * Opens a data port on {@code ifname} (from a thread in its namespace).
     *
     * @throws LinkException when the port cannot be opened this way ({@link #AUTO}: neither way)
     */
    public DataPort open(String ifname) throws LinkException {
        return switch (this) {
            case RING -> RingDataPort.open(ifname);
            case PCAP -> LinkDataPort.openPcap(ifname);
            case AUTO -> {
                try {
                    yield RingDataPort.open(ifname);
                } catch (LinkException e) {
                    LOG.warn("data port {}: AF_PACKET rings cannot be used ({}); using libpcap", ifname, e.getMessage());
                    yield LinkDataPort.openPcap(ifname);
                }
            }
        };
    }

    /** The option value: {@code auto}, {@code ring} or {@code pcap}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value named {@code text}; IllegalArgumentException for anything else. */
    public static PortIo of(String text) {
        for (PortIo io : values()) {
            if (io.option().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return io;
            }
        }
        throw new IllegalArgumentException("--io is auto, ring or pcap, not '" + text + "'");
    }
}
