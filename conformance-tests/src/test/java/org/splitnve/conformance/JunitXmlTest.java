package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** The report as CI systems read it (JUnit XML) and as people read it (text). */
class JunitXmlTest {

    private static final ConformanceReport REPORT = new ConformanceReport(PeerRole.BRIDGE, "eth1", "02:00:00:00:00:02",
            Instant.parse("2026-12-06T10:00:00Z"), Duration.ofMillis(4200), List.of(
                    new CheckResult("evb.tlv", "evb", "The bridge advertises an EVB TLV.", Verdict.PASS, "bridge mode", Duration.ofMillis(30)),
                    new CheckResult("vdp.null-vid", "vdp", "A null VID gets a VID.", Verdict.FAIL,
                            "the response carries VID 0 <echoed> & \"kept\"\u0001", Duration.ofMillis(12)),
                    new CheckResult("vdp.filter.group-ip-vid", "vdp", "Format 5.", Verdict.NOT_APPLICABLE, "GroupID was not negotiated",
                            Duration.ZERO)));

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    @Test
    void one_testsuite_with_counts_and_one_testcase_per_check_that_an_xml_parser_reads() throws Exception {
        StringWriter w = new StringWriter();
        JunitXml.write(REPORT, w);
        Document d = parse(w.toString());
        Element suite = d.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("splitnve.conformance.bridge");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("time")).isEqualTo("4.200");
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(3);
    }

    @Test
    void a_failing_check_is_a_failure_with_its_reason_escaped_and_control_characters_dropped() throws Exception {
        StringWriter w = new StringWriter();
        JunitXml.write(REPORT, w);
        Element failure = (Element) parse(w.toString()).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("the response carries VID 0 <echoed> & \"kept\"");
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("vdp.null-vid");
        assertThat(((Element) failure.getParentNode()).getAttribute("classname")).isEqualTo("splitnve.conformance.bridge.vdp");
    }

    @Test
    void a_check_that_does_not_apply_is_skipped_with_its_reason() throws Exception {
        StringWriter w = new StringWriter();
        JunitXml.write(REPORT, w);
        Element skipped = (Element) parse(w.toString()).getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("GroupID was not negotiated");
    }

    @Test
    void the_text_report_has_a_line_per_check_its_reason_and_the_counts() {
        String text = REPORT.toText();
        assertThat(text).contains("pass  evb.tlv", "FAIL  vdp.null-vid", "n/a   vdp.filter.group-ip-vid", "bridge mode",
                "1 passed, 1 failed, 1 not applicable in 4.2 s");
        assertThat(REPORT.passed()).isFalse();
        assertThat(REPORT.result("vdp.null-vid")).map(CheckResult::verdict).contains(Verdict.FAIL);
    }

    @Test
    void check_ids_are_group_dot_name_in_lower_case() {
        assertThatThrownBy(() -> new Check("NullVid", "t", p -> Outcome.pass(""))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Check("vdp.error.vid-4095", "t", p -> Outcome.pass("")).group()).isEqualTo("vdp");
    }

    @Test
    void the_suite_advertises_the_mode_opposite_to_the_role_under_test() {
        assertThat(ConformanceOptions.builder(PeerRole.BRIDGE).build().evbPolicy().mode()).hasToString(
                org.splitnve.vdpcore.lldp.EvbMode.STATION.toString());
        assertThat(ConformanceOptions.builder(PeerRole.STATION).build().evbPolicy().mode()).hasToString(
                org.splitnve.vdpcore.lldp.EvbMode.BRIDGE.toString());
        assertThatThrownBy(() -> ConformanceOptions.builder(PeerRole.BRIDGE)
                .evbPolicy(ConformanceOptions.builder(PeerRole.STATION).build().evbPolicy()).build())
                .hasMessageContaining("against a bridge the suite advertises EVB mode");
        assertThatThrownBy(() -> PeerRole.parse("router")).hasMessage("role is bridge or station: router");
    }
}
