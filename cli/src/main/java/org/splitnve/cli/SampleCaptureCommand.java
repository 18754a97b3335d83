package org.splitnve.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.splitnve.ecptransport.capture.PcapWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code splitnve sample-capture FILE [--frames N]}: writes the project's sample conversation as a pcap file. */
@Command(name = "sample-capture", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Writes the project's sample capture: a complete Split-NVE conversation (LLDP/EVB, ECP, VDP with the NVO3"
                    + " extensions, a refused request, a malformed PDU, two non-Split-NVE frames).",
            "The same arguments always give the same bytes; samples/split-nve.pcap is this command's output."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:usage error, or the file cannot be written"})
final class SampleCaptureCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the pcap file to write (replaced if it exists)")
    Path file;

    @Option(names = "--frames", paramLabel = "N",
            description = "write N frames, repeating the conversation with later timestamps and increasing ECP sequence"
                    + " numbers (for timing decode); default: one round, ${DEFAULT-VALUE} frames")
    long frames = SampleConversation.ROUND_FRAMES;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (frames < 1) {
            throw new ParameterException(spec.commandLine(), "--frames must be at least 1, not " + frames);
        }
        try (PcapWriter w = PcapWriter.create(file)) {
            new SampleConversation().write(w, frames);
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println("splitnve: " + file + ": cannot create it: no such directory");
            return 2;
        } catch (AccessDeniedException e) {
            spec.commandLine().getErr().println("splitnve: " + file + ": cannot create it: permission denied");
            return 2;
        } catch (IOException e) {
            spec.commandLine().getErr().println("splitnve: " + file + ": cannot write it: " + e.getMessage());
            return 2;
        }
        spec.commandLine().getOut().println("wrote " + frames + " frames to " + file);
        return 0;
    }
}
