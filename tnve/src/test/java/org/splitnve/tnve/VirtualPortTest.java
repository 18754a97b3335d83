package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

class VirtualPortTest {

    private static final String GOLDEN = "<virtualport type='802.1Qbg'>\n"
            + "  <parameters managerid='11' typeid='1193047' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>\n"
            + "</virtualport>";

    @Test
    void the_libvirt_element_parses_to_its_four_parameters() {
        VirtualPort p = VirtualPort.parseXml(GOLDEN);
        assertThat(p).isEqualTo(new VirtualPort(11, 1193047, 2, UUID.fromString("09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f")));
        assertThat(p.vsiManagerId()).isEqualTo(ManagerId.ofNumber(11));
        assertThat(p.vsiId()).isEqualTo(VsiId.of(UUID.fromString("09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f")));
        assertThat(VirtualPort.parseXml(p.toXml())).isEqualTo(p);
    }

    @Test
    void double_quotes_hex_numbers_and_an_explicit_end_tag_are_accepted() {
        VirtualPort p = VirtualPort.parseXml("<virtualport type=\"802.1Qbg\"><parameters managerid=\"0xb\" typeid=\"0x123457\""
                + " typeidversion=\"2\" instanceid=\"09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f\"></parameters></virtualport>");
        assertThat(p.managerId()).isEqualTo(11);
        assertThat(p.typeId()).isEqualTo(0x123457);
    }

    @Test
    void a_virtual_port_becomes_a_tsi_spec_with_its_vsi_identity() {
        TsiSpec s = VirtualPort.parseXml(GOLDEN).toTsiSpec(VnId.of(5001), List.of(TnveTestBed.mac(1)));
        assertThat(s.vsiId()).isEqualTo(VsiId.of(UUID.fromString("09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f")));
        assertThat(s.managerId()).isEqualTo(ManagerId.ofNumber(11));
        assertThat(s.typeId()).isEqualTo(1193047);
        assertThat(s.typeVersion()).isEqualTo(2);
        assertThat(s.filterFormat()).isEqualTo(FilterFormat.GROUPID_MAC_VID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "<virtualport type='openvswitch'><parameters managerid='11' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='256' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' typeid='16777216' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' typeid='1' typeidversion='-1' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' typeid='1' typeidversion='2' instanceid='not-a-uuid'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' typeid='1' typeidversion='2'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' managerid='2' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' profileid='x'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='&x;' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid=1 typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>",
        "<virtualport type='802.1Qbg'><parameters managerid='1' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport><x/>",
        "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><virtualport type='802.1Qbg'/>",
        "<virtualport type='802.1Qbg'><parameters managerid='99999999999999999999' typeid='1' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>",
    })
    void bad_input_is_an_invalid_virtual_port_exception(String xml) {
        assertThatThrownBy(() -> VirtualPort.parseXml(xml)).isInstanceOf(InvalidVirtualPortException.class);
    }

    @Test
    void oversized_input_is_refused_before_parsing() {
        assertThatThrownBy(() -> VirtualPort.parseXml("<virtualport type='802.1Qbg'>" + " ".repeat(10_000)))
                .isInstanceOf(InvalidVirtualPortException.class).hasMessageContaining("characters");
    }
}
