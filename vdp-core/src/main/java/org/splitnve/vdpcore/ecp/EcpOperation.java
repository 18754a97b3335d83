package org.splitnve.vdpcore.ecp;

/** The 2-bit ECPDU operation. Only 0 and 1 are defined; a decoder rejects 2 and 3. */
public final class EcpOperation {

    public static final EcpOperation REQUEST = new EcpOperation(0, "request");
    public static final EcpOperation ACK = new EcpOperation(1, "ack");

    private final int value;
    private final String name;

    private EcpOperation(int value, String name) {
        this.value = value;
        this.name = name;
    }

    /** The operation for a wire value, or {@code null} for the undefined values 2 and 3. */
    public static EcpOperation valueOf(int value) {
        return value == 0 ? REQUEST : value == 1 ? ACK : null;
    }

    public int value() {
        return value;
    }

    /** "request" or "ack", as text and JSON output name it. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
