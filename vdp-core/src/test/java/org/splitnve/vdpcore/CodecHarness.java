package org.splitnve.vdpcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An in-memory harness in the manner of Netty's embedded channel: golden octets go into a decoder
 * and must be consumed completely, and encoding the decoded value must give the same octets back.
 *
 * <p>The golden octets are placed in the middle of a larger buffer, between guard octets, so that a
 * decoder that reads from index 0 instead of its position, or past its limit, or leaves octets
 * unread, is caught.
 */
public final class CodecHarness {

    /** Octets before the input in the buffer handed to a decoder; not a multiple of 2, 4 or 8. */
    public static final int GUARD = 7;
    private static final byte GUARD_OCTET = (byte) 0xA5;

    private CodecHarness() {
    }

    @FunctionalInterface
    public interface Decoder<T> {
        T decode(ByteBuffer in) throws MalformedFrameException;
    }

    @FunctionalInterface
    public interface Encoder<T> {
        void encode(T value, ByteBuffer out);
    }

    /** Hex from parts that may hold white space, so each field of a golden frame can have its own line. */
    public static byte[] hex(String... parts) {
        return HexDump.parse(String.join("", parts));
    }

    /** {@code bytes} at position {@link #GUARD} of a buffer with guard octets on both sides of the limit. */
    public static ByteBuffer guarded(byte[] bytes) {
        byte[] all = new byte[GUARD + bytes.length + GUARD];
        Arrays.fill(all, GUARD_OCTET);
        System.arraycopy(bytes, 0, all, GUARD, bytes.length);
        return ByteBuffer.wrap(all).position(GUARD).limit(GUARD + bytes.length);
    }

    /** Decodes and checks that the decoder consumed exactly its input. */
    public static <T> T decodeAll(Decoder<T> decoder, byte[] bytes) throws MalformedFrameException {
        ByteBuffer in = guarded(bytes);
        int limit = in.limit();
        T value = decoder.decode(in);
        assertThat(value).as("decoded value").isNotNull();
        assertThat(in.position()).as("octets left over after decoding").isEqualTo(limit);
        assertThat(in.limit()).as("limit moved").isEqualTo(limit);
        return value;
    }

    /** Encodes into a buffer that has room to spare and returns exactly the octets written. */
    public static <T> byte[] encode(Encoder<T> encoder, T value) {
        ByteBuffer out = ByteBuffer.allocate(4096);
        out.position(GUARD);
        encoder.encode(value, out);
        return Arrays.copyOfRange(out.array(), GUARD, out.position());
    }

    /** Decodes golden octets completely, encodes the value, and requires the same octets back. */
    public static <T> T assertGolden(Decoder<T> decoder, Encoder<T> encoder, byte[] golden) {
        T value;
        try {
            value = decodeAll(decoder, golden);
        } catch (MalformedFrameException e) {
            throw new AssertionError("golden octets did not decode: " + e.getMessage(), e);
        }
        assertThat(HexDump.hex(encode(encoder, value))).as("re-encoded %s", value).isEqualTo(HexDump.hex(golden));
        return value;
    }

    /**
     * Decodes octets that must be rejected, and returns the exception with its offset made relative
     * to the start of {@code bytes} (the harness puts them at {@link #GUARD}).
     */
    public static <T> Rejection assertMalformed(Decoder<T> decoder, byte[] bytes) {
        ByteBuffer in = guarded(bytes);
        int position = in.position();
        try {
            T value = decoder.decode(in);
            return fail("expected MalformedFrameException, decoded " + value + " from\n" + HexDump.format(bytes));
        } catch (MalformedFrameException e) {
            assertThat(in.position()).as("position after a failed decode").isEqualTo(position);
            assertThat(e.hexDump()).as("hex dump").isNotEmpty();
            assertThat(e.getMessage()).as("message carries the hex dump").contains(e.hexDump());
            if (e.offset() < in.limit()) {
                int octet = in.get(e.offset()) & 0xFF;
                assertThat(e.hexDump()).as("the dump marks the offending octet").contains(String.format("[%02x]", octet));
            }
            return new Rejection(e, e.offset() - GUARD);
        }
    }

    /** A rejected input: the exception and its offset relative to the input's first octet. */
    public record Rejection(MalformedFrameException exception, int offset) {
        public int vdpError() {
            return exception.vdpError().value();
        }
    }
}
