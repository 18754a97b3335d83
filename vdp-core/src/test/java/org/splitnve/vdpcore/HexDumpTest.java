package org.splitnve.vdpcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.vdp.VdpErrorCode;

/** Hex for golden frames and for the dumps that every malformed-frame message carries. */
class HexDumpTest {

    @Test
    void parseIgnoresWhiteSpaceColonsAndDashes() {
        assertThat(HexDump.parse("0a 10\n6D:67-72\t31")).containsExactly(0x0a, 0x10, 0x6d, 0x67, 0x72, 0x31);
        assertThat(HexDump.parse("")).isEmpty();
    }

    @Test
    void parseRejectsOddLengthsAndNonHex() {
        assertThatThrownBy(() -> HexDump.parse("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexDump.parse("0g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexDump.parse("0\u0661")).as("a non-ASCII digit").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hexIsCompactLowerCaseWithoutSignExtension() {
        assertThat(HexDump.hex(new byte[] {0, 0x7f, (byte) 0x80, (byte) 0xff, 0x0a})).isEqualTo("007f80ff0a");
        assertThat(HexDump.hex(new byte[0])).isEmpty();
    }

    @Test
    void formatPrintsSixteenOctetsALineWithOffsets() {
        byte[] b = new byte[20];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0xF0 + i);
        }
        String dump = HexDump.format(b);
        String[] lines = dump.split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("0000 ").contains(" f0 ").contains(" ff ").doesNotContain("[");
        assertThat(lines[1]).startsWith("0010 ").contains(" 00 ").contains(" 03 ");
        assertThat(HexDump.format(new byte[0])).isEmpty();
    }

    @Test
    void formatMarksOneOctetAndLabelsLinesWithTheirIndexInTheBuffer() {
        ByteBuffer buf = ByteBuffer.wrap(new byte[64]);
        buf.put(40, (byte) 0xAB);
        String dump = HexDump.format(buf, 32, 16, 8);
        assertThat(dump).startsWith("0020 ").contains("[ab]");
        assertThat(dump.split("\n")).hasSize(1);
    }

    @Test
    void malformedFrameDumpsShowTheWholeOfSmallInputs() {
        ByteBuffer buf = ByteBuffer.wrap(HexDump.parse("0a10 ff 00"));
        MalformedFrameException e = new MalformedFrameException("bad", 2, VdpErrorCode.INVALID_FORMAT, buf);
        assertThat(e.hexDump()).isEqualTo(HexDump.format(buf, 0, 4, 2)).contains("[ff]");
        assertThat(e.getMessage()).isEqualTo("bad at offset 2 (VDP error 1 (invalid format))\n" + e.hexDump());
        assertThat(e.reason()).isEqualTo("bad");
        assertThat(e.offset()).isEqualTo(2);
        assertThat(e.vdpError()).isSameAs(VdpErrorCode.INVALID_FORMAT);
    }

    @Test
    void malformedFrameDumpsOfJumboFramesAreCappedAroundTheOffset() {
        byte[] jumbo = new byte[9000];
        jumbo[5000] = (byte) 0xEE;
        MalformedFrameException e = new MalformedFrameException("bad", 5000, VdpErrorCode.INVALID_FORMAT, ByteBuffer.wrap(jumbo));
        String dump = e.hexDump();
        // 256 octets, plus at most one partial line from starting lines at a multiple of 16.
        assertThat(dump.split("\n")).hasSizeLessThanOrEqualTo(1 + 17);
        assertThat(dump).startsWith("(octets ").contains(" of 9000)").contains("[ee]");
        // The line holding the mark is labelled with its own offset, so the reader need not add.
        assertThat(dump).contains(String.format("%04x ", 5000 & ~0xF));
        jumbo[8995] = (byte) 0xDD;
        MalformedFrameException nearEnd = new MalformedFrameException("tail", 8995, VdpErrorCode.INVALID_FORMAT, ByteBuffer.wrap(jumbo));
        assertThat(nearEnd.hexDump()).as("an offset in the last line is still shown").contains("[dd]").contains("..8999 of 9000)");
        MalformedFrameException atEnd = new MalformedFrameException("end", 9000, VdpErrorCode.INVALID_FORMAT, ByteBuffer.wrap(jumbo));
        assertThat(atEnd.hexDump()).contains(" of 9000)").doesNotContain("[");
        MalformedFrameException atStart = new MalformedFrameException("start", 0, VdpErrorCode.INVALID_FORMAT, ByteBuffer.wrap(jumbo));
        assertThat(atStart.hexDump()).contains("(octets 0..255 of 9000)").contains("[00]");
    }

    @Test
    void malformedFrameWithoutABufferHasNoDump() {
        MalformedFrameException e = new MalformedFrameException("gone", 0, VdpErrorCode.OTHER_FAILURE, null);
        assertThat(e.hexDump()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("gone at offset 0 (VDP error 4 (other failure))");
    }
}
