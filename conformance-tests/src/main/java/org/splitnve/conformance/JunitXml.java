package org.splitnve.conformance;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes a report in the JUnit XML that CI systems read (the Ant/Surefire schema): one testsuite,
 * one testcase per check; a failing check is a {@code <failure>}, a check that did not apply is
 * {@code <skipped>}, and every check's reason is its {@code <system-out>}.
 */
public final class JunitXml {

    private JunitXml() {
    }

    public static void write(ConformanceReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(report, w);
        }
    }

    public static void write(ConformanceReport report, Writer w) throws IOException {
        String suite = "splitnve.conformance." + report.role().label();
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.write(String.format(Locale.ROOT,
                "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\" hostname=\"%s\">%n",
                esc(suite), report.results().size(), report.count(Verdict.FAIL), report.count(Verdict.NOT_APPLICABLE),
                report.elapsed().toMillis() / 1000.0, DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(report.started().atOffset(ZoneOffset.UTC)),
                esc(hostname())));
        w.write("  <properties>\n");
        w.write("    <property name=\"role\" value=\"" + esc(report.role().label()) + "\"/>\n");
        w.write("    <property name=\"interface\" value=\"" + esc(report.iface()) + "\"/>\n");
        w.write("    <property name=\"peer\" value=\"" + esc(report.peer()) + "\"/>\n");
        w.write("  </properties>\n");
        for (CheckResult r : report.results()) {
            w.write(String.format(Locale.ROOT, "  <testcase classname=\"%s.%s\" name=\"%s\" time=\"%.3f\">%n",
                    esc(suite), esc(r.group()), esc(r.id()), r.elapsed().toMillis() / 1000.0));
            switch (r.verdict()) {
                case FAIL -> w.write("    <failure message=\"" + esc(r.reason()) + "\" type=\"conformance\">" + esc(r.title()) + "</failure>\n");
                case NOT_APPLICABLE -> w.write("    <skipped message=\"" + esc(r.reason()) + "\"/>\n");
                case PASS -> {
                }
            }
            w.write("    <system-out>" + esc(r.title() + "\n" + r.reason()) + "</system-out>\n");
            w.write("  </testcase>\n");
        }
        w.write("</testsuite>\n");
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** XML-escapes text, dropping the control characters XML 1.0 cannot carry. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\n' -> b.append("&#10;");
                case '\t', '\r' -> b.append(c);
                default -> {
                    if (c >= 0x20) {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
