package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.HexDump;

/** The Manager ID as lldpad's mgrid2 and libvirt's managerid put it on the wire. */
class ManagerIdTest {

    @Test
    void aNameIsAsciiLeftJustifiedAndZeroFilledAsLldpadsMgrid2() {
        assertThat(ManagerId.ofName("mgr1").toHex()).isEqualTo("6d677231000000000000000000000000");
        assertThat(ManagerId.ofName("").toHex()).isEqualTo("00".repeat(16));
        assertThat(ManagerId.ofName("0123456789abcdef").toHex()).isEqualTo("30313233343536373839616263646566");
    }

    @Test
    void namesLongerThanSixteenOrNotAsciiAreRejected() {
        assertThatThrownBy(() -> ManagerId.ofName("0123456789abcdefg")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagerId.ofName("mgr\u00e9")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagerId.ofName("\u20ac")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void libvirtsNumericManagerIdSitsInTheLastOctet() {
        assertThat(ManagerId.ofNumber(0).toHex()).isEqualTo("00".repeat(16));
        assertThat(ManagerId.ofNumber(255).toHex()).isEqualTo("00".repeat(15) + "ff");
        assertThat(ManagerId.ofNumber(128).toHex()).isEqualTo("00".repeat(15) + "80");
        assertThatThrownBy(() -> ManagerId.ofNumber(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagerId.ofNumber(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesHexLongsAndBuffersAgree() {
        String hex = "80ff7f00112233448899aabbccddeeff";
        ManagerId m = ManagerId.ofHex(hex);
        assertThat(m.toBytes()).isEqualTo(HexDump.parse(hex));
        assertThat(m).isEqualTo(ManagerId.of(HexDump.parse(hex))).hasSameHashCodeAs(ManagerId.of(HexDump.parse(hex)));
        assertThat(m).isEqualTo(ManagerId.of(0x80ff7f0011223344L, 0x8899aabbccddeeffL));
        assertThat(m).isEqualTo(ManagerId.read(ByteBuffer.wrap(HexDump.parse("00" + hex)), 1));
        assertThat(m).hasToString(hex);
        ByteBuffer out = ByteBuffer.allocate(16);
        m.writeTo(out);
        assertThat(out.array()).isEqualTo(HexDump.parse(hex));
        assertThatThrownBy(() -> ManagerId.of(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManagerId.ofHex("00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ManagerId.ofName("a")).isNotEqualTo(ManagerId.ofName("b"));
    }

    @Test
    void theNameOfAnIdMadeFromANameIsThatName() {
        assertThat(ManagerId.ofName("snvmgr").name()).isEqualTo("snvmgr");
        assertThat(ManagerId.ofName("sixteen-chars-ok").name()).isEqualTo("sixteen-chars-ok");
    }

    @Test
    void anIdThatIsNotAZeroFilledPrintableNameHasNoName() {
        assertThat(ManagerId.of(0, 0).name()).isNull();
        assertThat(ManagerId.ofNumber(7).name()).isNull(); // zeros before a non-zero octet
        assertThat(ManagerId.ofHex("ff" + "00".repeat(15)).name()).isNull(); // not printable
    }
}
