package org.splitnve.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.splitnve.ecptransport.clock.Scheduler;

/** The demo's readable timeline: virtual time, who, what; and the result of every check. */
final class DemoTimeline {

    /** One check of a step and whether it held. */
    record Check(String step, String what, boolean held) {
    }

    private final Scheduler clock;
    private final PrintWriter out;
    private final List<Check> checks = new ArrayList<>();
    private String step = "setup";

    DemoTimeline(Scheduler clock, PrintWriter out) {
        this.clock = clock;
        this.out = out;
    }

    void step(String name, String what) {
        step = name;
        out.println();
        out.printf("== step %s: %s%n", name, what);
    }

    void event(String who, String what) {
        out.printf("%11.6f  %-5s %s%n", clock.nanoTime() / 1e9, who, what);
    }

    void note(String what) {
        event("demo", what);
    }

    /** Records a check of the current step and prints it. */
    boolean check(String what, boolean held) {
        checks.add(new Check(step, what, held));
        event("check", (held ? "ok     " : "FAILED ") + what);
        return held;
    }

    List<Check> checks() {
        return List.copyOf(checks);
    }

    List<Check> failed() {
        return checks.stream().filter(c -> !c.held()).toList();
    }
}
