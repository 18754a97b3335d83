package org.splitnve.cli;

import org.splitnve.ecptransport.link.Libpcap;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the command line in-process, through picocli, with captured output. */
final class Cli {

    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return run(Libpcap.system(), args);
    }

    static Result run(Libpcap libpcap, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int code = Main.run(o, e, libpcap, args);
        o.flush();
        e.flush();
        return new Result(code, out.toString(), err.toString());
    }

    /** The committed sample, found from the module directory the tests run in. */
    static Path committedSample() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("samples").resolve("split-nve.pcap");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("samples/split-nve.pcap not found above " + Path.of("").toAbsolutePath());
    }
}
