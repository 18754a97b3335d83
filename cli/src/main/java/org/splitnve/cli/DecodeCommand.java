package org.splitnve.cli;

import org.splitnve.ecptransport.link.Libpcap;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpDecoder;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.frame.DecodedFrame;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.frame.EthernetHeader;
import org.splitnve.vdpcore.frame.FrameDecoder;
import org.splitnve.vdpcore.vdp.Vdpdu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code splitnve decode FILE [--json]}: prints the ECP, VDP and LLDP/EVB content of a capture file. */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Prints every ECP (with its VDP content) and LLDP (with the EVB TLV) frame of a pcap or pcapng file.",
            "Other frames are counted and skipped; malformed ones are reported with frame number, offset and VDP error code,"
                    + " and decoding goes on. Reads Ethernet and Linux cooked (SLL, SLL2) captures.",
            "Project code points can be overridden with -Dsplitnve.codepoint.* system properties (JAVA_OPTS in the launcher)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the file was read to its end (malformed frames included)",
            "1:the file broke off in the middle (what was read is printed)",
            "2:usage error, unreadable file, unsupported link type, or libpcap missing"})
final class DecodeCommand implements Callable<Integer> {

    /** How often the output is checked for a closed pipe (such as {@code | head}). */
    private static final int CHECK_OUTPUT_EVERY = 4096;

    @Parameters(index = "0", paramLabel = "FILE", description = "pcap or pcapng capture file; - reads standard input")
    String file;

    @Option(names = "--json", description = "one JSON object per ECP/LLDP frame and line; the summary goes to standard error")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Libpcap libpcap;

    DecodeCommand() {
        this(Libpcap.system());
    }

    DecodeCommand(Libpcap libpcap) {
        this.libpcap = libpcap;
    }

    /** What one pass over the file counted. */
    static final class Counts {
        long read;
        long decoded;
        long skipped;
        long malformed;

        @Override
        public String toString() {
            return "frames read: " + read + ", decoded: " + decoded + ", skipped: " + skipped + ", malformed: " + malformed;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = fileProblem(file);
        if (problem != null) {
            err.println("splitnve: " + file + ": " + problem);
            return 2;
        }
        Libpcap.Status lib = libpcap.check();
        if (!lib.available()) {
            err.println("splitnve: " + lib.problem());
            return 2;
        }
        CodePoints codePoints;
        try {
            codePoints = CodePoints.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            err.println("splitnve: " + e.getMessage());
            return 2;
        }
        CaptureReader reader;
        try {
            reader = CaptureReader.open(file);
        } catch (CaptureReader.CaptureException e) {
            err.println("splitnve: " + file + ": " + e.getMessage());
            return 2;
        }
        FrameWriter writer = json ? new JsonFrameWriter(out, codePoints) : new TextFrameWriter(out, codePoints);
        PrintWriter summaryTo = json ? err : out;
        Counts counts = new Counts();
        int status = 0;
        try (reader) {
            Decoding decoding = new Decoding(new FrameDecoder(codePoints), writer, counts, out);
            reader.forEach(decoding::onFrame);
        } catch (CaptureReader.CaptureException e) {
            writer.flush();
            err.println("splitnve: " + file + ": " + e.getMessage());
            status = 1;
        }
        writer.flush();
        summaryTo.println(counts);
        summaryTo.flush();
        return status;
    }

    /** Why the file cannot be read, in a few words, or null. Standard input is always tried. */
    static String fileProblem(String file) {
        if ("-".equals(file)) {
            return null;
        }
        Path p = Path.of(file);
        if (!Files.exists(p)) {
            return "no such file";
        }
        if (Files.isDirectory(p)) {
            return "is a directory, not a capture file";
        }
        if (!Files.isReadable(p)) {
            return "permission denied";
        }
        return null;
    }

    /** The per-frame work: classify, decode, write. */
    private static final class Decoding {
        private final FrameDecoder decoder;
        private final EcpDecoder ecpDecoder = new EcpDecoder(Vdpdu.MAX_MTU);
        private final FrameWriter writer;
        private final Counts counts;
        private final PrintWriter out;

        Decoding(FrameDecoder decoder, FrameWriter writer, Counts counts, PrintWriter out) {
            this.decoder = decoder;
            this.writer = writer;
            this.counts = counts;
            this.out = out;
        }

        boolean onFrame(CapturedFrame frame) throws IOException {
            counts.read++;
            ByteBuffer bytes = frame.frame();
            EthernetHeader eth = null;
            try {
                eth = EthernetHeader.parse(bytes);
                int type = eth.etherType();
                if (type != EtherType.ECP && type != EtherType.LLDP) {
                    counts.skipped++;
                } else {
                    DecodedFrame d = decoder.decode(bytes);
                    counts.decoded++;
                    writer.decoded(frame, d);
                }
            } catch (MalformedFrameException e) {
                counts.malformed++;
                writer.malformed(frame, eth, eth == null ? null : ecpHeader(eth, bytes), e);
            }
            // A closed pipe makes PrintWriter set its error flag instead of throwing: stop then.
            return counts.read % CHECK_OUTPUT_EVERY != 0 || !out.checkError();
        }

        /** The ECP header of a frame whose fault lies in the VDPDU it carries, so the output can say which PDU failed. */
        private Ecpdu ecpHeader(EthernetHeader eth, ByteBuffer bytes) {
            if (eth.etherType() != EtherType.ECP) {
                return null;
            }
            try {
                return ecpDecoder.decode(bytes.duplicate().position(eth.payloadOffset()));
            } catch (MalformedFrameException e) {
                return null;
            }
        }
    }
}
