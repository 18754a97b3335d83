package org.splitnve.ecptransport.link;

/**
 * Run in a child JVM by {@link PcapLinkLiveTest}, pointed at a libpcap that does not exist: prints what a user sees
 * on each of three attempts to use pcap, one line each, prefixed by the attempt.
 */
public final class LibpcapProbeMain {

    private LibpcapProbeMain() {
    }

    public static void main(String[] args) {
        System.out.println("available: " + Libpcap.system().check().available());
        for (int i = 1; i <= 2; i++) {
            try (PcapLink link = PcapLink.open("lo")) {
                System.out.println("open " + i + ": opened " + link);
            } catch (LinkException e) {
                System.out.println("open " + i + ": " + e.getMessage());
            } catch (Throwable t) {
                System.out.println("open " + i + ": " + t);
            }
        }
        try {
            Libpcap.require();
            System.out.println("require: ok");
        } catch (LinkException e) {
            System.out.println("require: " + e.getMessage());
        }
    }
}
