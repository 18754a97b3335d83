package org.splitnve.cli;

import org.splitnve.ecptransport.link.Libpcap;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code splitnve} command: subcommands only. */
@Command(name = "splitnve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Split-NVE (RFC 8394) over IEEE 802.1Q ECP and VDP: tools for captures and peers.",
        subcommands = {DecodeCommand.class, SampleCaptureCommand.class, BridgeCommand.class, StationCommand.class, DemoCommand.class, BenchCommand.class, ConformanceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, as for any other usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    public static void main(String[] args) {
        // Before anything creates a logger: slf4j-simple reads its level once, when the first logger is made, and
        // even the libpcap probe below makes one. Parsing later would leave --log without effect.
        NicOptions.presetLogLevel(args);
        // Standard output gets a large buffer (decode writes a lot) and is flushed once at the end.
        PrintWriter out = new PrintWriter(new BufferedWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), Charset.defaultCharset()), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()), true);
        int code = run(out, err, Libpcap.system(), args);
        out.flush();
        err.flush();
        if (Signals.stopping()) {
            // The JVM is already shutting down on SIGTERM/SIGINT; exit would block, halt ends it with our code.
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    /** Runs one command line with the given streams; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, Libpcap libpcap, String... args) {
        return commandLine(out, err, libpcap).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, Libpcap libpcap) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == DecodeCommand.class) {
                    return cls.cast(new DecodeCommand(libpcap));
                }
                if (cls == BridgeCommand.class) {
                    return cls.cast(new BridgeCommand(libpcap, null));
                }
                if (cls == StationCommand.class) {
                    return cls.cast(new StationCommand(libpcap, null));
                }
                if (cls == ConformanceCommand.class) {
                    return cls.cast(new ConformanceCommand(libpcap));
                }
                return defaults.create(cls);
            }
        };
        CommandLine cl = new CommandLine(Main.class, factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(Usage::handle);
        return cl;
    }

    /** {@code --version}: this build, the Java runtime, and the libpcap that reading captures needs. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Libpcap.Status lib = Libpcap.system().check();
            return new String[] {
                "splitnve " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                lib.available() ? lib.version() : "libpcap: not found: " + lib.problem()};
        }

        static String version() {
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null && !v.startsWith("${")) {
                        return v;
                    }
                }
            } catch (IOException e) {
                // fall through to the manifest
            }
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "(development build)" : v;
        }
    }
}
