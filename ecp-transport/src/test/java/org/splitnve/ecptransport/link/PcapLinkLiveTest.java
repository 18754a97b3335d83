package org.splitnve.ecptransport.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.testing.LiveVeth;
import org.splitnve.ecptransport.testing.ReceivedFrames;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;

/** PcapLink on a real veth pair between two namespaces the test creates. */
class PcapLinkLiveTest {

    private static final MacAddress MAC_A = MacAddress.valueOf("02:00:00:00:0c:01");
    private static final MacAddress MAC_B = MacAddress.valueOf("02:00:00:00:0c:02");
    /** IEEE 802 local experimental EtherType: traffic no filter of ours asks for. */
    private static final int OTHER = 0x88B5;

    private LiveVeth veth;

    @BeforeEach
    void setUp() {
        Prerequisites.requireLibpcap();
        veth = LiveVeth.forTest("pl-a", MAC_A, "pl-b", MAC_B);
    }

    @AfterEach
    void tearDown() {
        if (veth != null) {
            veth.close();
        }
    }

    @Test
    void aLinkOpenedInsideTheNamespaceSeesItsInterfaceAndItsMac() throws Exception {
        PcapLink a = veth.openA(EtherType.ECP);

        assertThat(a.name()).isEqualTo("pl-a");
        assertThat(a.macAddress()).isEqualTo(MAC_A);
        // The test's own namespace has no such interface.
        assertThatThrownBy(() -> PcapLink.open("pl-a")).isInstanceOf(LinkException.class)
                .hasMessageContaining("no network interface named pl-a");
        // Nor does the other namespace.
        assertThatThrownBy(() -> InNamespace.call(veth.nsB(), () -> PcapLink.open("pl-a")))
                .isInstanceOf(LinkException.class);
    }

    @Test
    void framesSentByOneEndArriveAtTheOtherInOrderAndIntact() throws Exception {
        PcapLink a = veth.openA(EtherType.ECP);
        PcapLink b = veth.openB(EtherType.ECP);
        ReceivedFrames atB = new ReceivedFrames(b);

        // A burst of 1000 back-to-back frames: more than a ring of 64 KiB slots holds (see PcapLink.SNAPLEN).
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] f = frame(MAC_A, EtherType.ECP, i, 60 + i * 7 % 1400);
            sent.add(f);
            a.send(ByteBuffer.wrap(f));
        }

        atB.await(sent.size());
        assertThat(atB.frames).as("kernel drops %d", b.kernelDrops()).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(atB.frames.get(i)).isEqualTo(sent.get(i));
        }
        assertThat(a.sent()).isEqualTo(1000);
        assertThat(b.received()).isEqualTo(1000);
        assertThat(b.kernelDrops()).isZero();
    }

    @Test
    void theFilterKeepsOtherEtherTypesOut() throws Exception {
        PcapLink a = veth.openA(EtherType.ECP, EtherType.LLDP);
        PcapLink filtered = veth.openB(EtherType.ECP, EtherType.LLDP);
        PcapLink everything = veth.openB();
        ReceivedFrames atFiltered = new ReceivedFrames(filtered);
        ReceivedFrames atEverything = new ReceivedFrames(everything);

        for (int i = 0; i < 30; i++) {
            int type = i % 3 == 0 ? EtherType.ECP : i % 3 == 1 ? OTHER : EtherType.LLDP;
            a.send(ByteBuffer.wrap(frame(MAC_A, type, i, 60)));
        }

        atEverything.await(30);
        atFiltered.await(20);
        Thread.sleep(200); // anything the filter let through by mistake would be here by now
        assertThat(atEverything.frames).hasSize(30);
        assertThat(atFiltered.frames).hasSize(20)
                .allSatisfy(f -> assertThat(etherType(f)).isIn(EtherType.ECP, EtherType.LLDP));
    }

    @Test
    void ourOwnFramesAreNotLoopedBack() throws Exception {
        PcapLink a = veth.openA(EtherType.ECP);
        PcapLink b = veth.openB(EtherType.ECP);
        ReceivedFrames atA = new ReceivedFrames(a);
        ReceivedFrames atB = new ReceivedFrames(b);

        for (int i = 0; i < 20; i++) {
            a.send(ByteBuffer.wrap(frame(MAC_A, EtherType.ECP, i, 60)));
        }
        b.send(ByteBuffer.wrap(frame(MAC_B, EtherType.ECP, 99, 60)));

        atB.await(20);
        atA.await(1);
        Thread.sleep(200);
        assertThat(atA.frames).singleElement().satisfies(f -> assertThat(f[14]).isEqualTo((byte) 99));
        assertThat(atB.frames).hasSize(20);
    }

    @Test
    void closeStopsTheReceiveThreadPromptly() throws Exception {
        PcapLink a = veth.openA(EtherType.ECP);
        Thread rx = receiveThread("pcap-pl-a");
        assertThat(rx.isAlive()).isTrue();

        long start = System.nanoTime();
        a.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        rx.join(1_000);
        assertThat(rx.isAlive()).isFalse();
        assertThat(tookMillis).as("close() took %d ms", tookMillis).isLessThan(1_000);
        assertThatThrownBy(() -> a.send(ByteBuffer.wrap(frame(MAC_A, EtherType.ECP, 1, 60))))
                .isInstanceOf(LinkException.class).hasMessageContaining("closed");
        a.close(); // a second close does nothing
    }

    @Test
    void withoutLibpcapTheErrorIsOneClearLine() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(),
                // pcap4j loads the library by this name; a path that does not exist is what a machine without
                // libpcap looks like to it.
                "-Dorg.pcap4j.core.pcapLibName=" + File.separator + "nonexistent" + File.separator + "libpcap.so.0.8",
                "-cp", classpath, LibpcapProbeMain.class.getName())
                .redirectErrorStream(false)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().transferTo(OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> lines = out.lines().toList();
        assertThat(lines).as(out).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("available: false");
        String expected = Libpcap.MISSING + " (UnsatisfiedLinkError: Unable to load library '/nonexistent/libpcap.so.0.8')";
        // The first attempt meets UnsatisfiedLinkError, later ones would meet NoClassDefFoundError: all say the same.
        assertThat(lines.subList(1, 4)).containsExactly("open 1: " + expected, "open 2: " + expected, "require: " + expected);
    }

    private static Thread receiveThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread named " + name));
    }

    private static int etherType(byte[] f) {
        return ((f[12] & 0xFF) << 8) | (f[13] & 0xFF);
    }

    /** A frame to the nearest-customer-bridge address: marker after the header, then a counting pattern. */
    private static byte[] frame(MacAddress src, int etherType, int marker, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        MacAddress.NEAREST_CUSTOMER_BRIDGE.writeTo(b);
        src.writeTo(b);
        b.putShort((short) etherType);
        b.put((byte) marker);
        while (b.hasRemaining()) {
            b.put((byte) b.position());
        }
        return b.array();
    }

    /**
     * libpcap goes on waiting when the interface goes down (frames flow again when it comes up), so a link learns it
     * from the first send that fails, and says so; when the interface is removed, the capture itself ends.
     */
    @Test
    void aLinkWhoseInterfaceGoesDownOrAwayTellsItsOwnerOnce() throws Exception {
        PcapLink a = veth.openA(EtherType.ECP);
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.onFailure((name, e) -> told.add(e.getMessage()));
        veth.nsA().exec("ip", "link", "set", veth.ifA(), "down");
        assertThatThrownBy(() -> a.send(ByteBuffer.allocate(60))).isInstanceOf(LinkException.class).hasMessageContaining("down");
        assertThat(told).singleElement().asString().contains("Network is down");
        assertThat(a.failed()).isTrue();
        assertThatThrownBy(() -> a.send(ByteBuffer.allocate(60))).isInstanceOf(LinkException.class);
        a.close();
        assertThat(told).hasSize(1);

        veth.nsA().exec("ip", "link", "set", veth.ifA(), "up");
        PcapLink again = veth.openA(EtherType.ECP);
        List<String> gone = new java.util.concurrent.CopyOnWriteArrayList<>();
        again.onFailure((name, e) -> gone.add(e.getMessage()));
        veth.nsA().exec("ip", "link", "del", veth.ifA());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gone.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gone).singleElement().asString().contains("The interface disappeared");
    }
}
