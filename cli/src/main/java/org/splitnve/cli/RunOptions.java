package org.splitnve.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.splitnve.ecptransport.link.ResilientLink;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What the long-running commands ({@code bridge}, {@code station}) share besides {@link NicOptions}: their event stream,
 * and how long their NIC may be away before they give up on it.
 */
final class RunOptions {

    @Option(names = "--events", paramLabel = "-", description = "write events as JSON lines to standard output ('-')")
    String events;

    @Option(names = "--nic-wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long the NIC may be down or gone before the command gives up with exit 3 (default ${DEFAULT-VALUE});"
                    + " meanwhile it is opened again every 1 to 10 s")
    int nicWait;

    /** When the NIC is opened again after it failed; a usage error for a negative wait. */
    ResilientLink.Retry nicRetry(CommandSpec spec) {
        if (nicWait < 0) {
            throw Usage.error(spec, "--nic-wait is at least 0, not " + nicWait);
        }
        return new ResilientLink.Retry(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(nicWait));
    }

    /** The event stream the options ask for; a usage error for anything but standard output. */
    EventLog eventLog(CommandSpec spec, PrintWriter out) {
        if (events != null && !events.equals("-")) {
            throw Usage.error(spec, "--events takes '-' (standard output)");
        }
        return new EventLog(out, events != null);
    }
}
