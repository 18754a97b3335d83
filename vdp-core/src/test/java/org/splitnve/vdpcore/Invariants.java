package org.splitnve.vdpcore;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Supplier;
import org.splitnve.vdpcore.ecp.EcpDecoder;
import org.splitnve.vdpcore.ecp.EcpEncoder;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.frame.DecodedFrame;
import org.splitnve.vdpcore.frame.FrameDecoder;
import org.splitnve.vdpcore.lldp.LldpDecoder;
import org.splitnve.vdpcore.lldp.LldpEncoder;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * What must hold for any input to any decoder, shared by the property tests and the fuzz targets:
 * decoding either returns a value or throws {@link MalformedFrameException} (never anything else),
 * and a returned value encodes and decodes back to an equal value.
 *
 * <p>The second pass runs with two octets of slack on the length limits: a PDU that arrived without
 * End TLV at exactly the largest length is legal, and the encoder always adds the End TLV.
 */
public final class Invariants {

    /** Room for the End TLV that the encoders add to PDUs that arrived without one. */
    public static final int END_TLV_SLACK = 2;

    private Invariants() {
    }

    /** Thrown for any failure that is not a clean rejection; carries the input for the report. */
    public static final class Violation extends AssertionError {
        private static final long serialVersionUID = 1L;

        Violation(String what, byte[] input, Throwable cause) {
            super(what + "\ninput (" + input.length + " octets):\n" + HexDump.format(input), cause);
        }
    }

    /**
     * Runs a decoder on arbitrary octets: the value, or {@code null} for a clean rejection. Any other
     * throwable, errors included, is a {@link Violation}.
     */
    public static <T> T decodeOrReject(CodecHarness.Decoder<T> decoder, byte[] input, Supplier<String> context) {
        ByteBuffer in = ByteBuffer.wrap(input);
        try {
            T value = decoder.decode(in);
            if (value == null) {
                throw new Violation(context.get() + ": decoder returned null", input, null);
            }
            if (in.hasRemaining()) {
                throw new Violation(context.get() + ": decoder left " + in.remaining() + " octets", input, null);
            }
            return value;
        } catch (MalformedFrameException e) {
            if (in.position() != 0) {
                throw new Violation(context.get() + ": a failed decode moved the position", input, e);
            }
            if (e.offset() < 0 || e.offset() > input.length) {
                throw new Violation(context.get() + ": offset " + e.offset() + " outside the input", input, e);
            }
            Objects.requireNonNull(e.getMessage());
            return null;
        } catch (Violation v) {
            throw v;
        } catch (Throwable t) {
            throw new Violation(context.get() + ": decoder threw " + t + " instead of MalformedFrameException", input, t);
        }
    }

    /** The decoded VDPDU encodes, and the octets decode to an equal VDPDU. */
    public static void vdpduRoundTrips(Vdpdu pdu, CodePoints codePoints, byte[] input, Supplier<String> context) {
        byte[] again = encodeOrViolate(() -> Generators.encode(pdu,
                new VdpEncoder(codePoints, Vdpdu.MAX_LENGTH_STANDARD_MTU + END_TLV_SLACK)), input, context);
        VdpDecoder decoder = new VdpDecoder(codePoints, Vdpdu.MAX_LENGTH_STANDARD_MTU + END_TLV_SLACK,
                VdpDecoder.DEFAULT_MAX_ASSOCIATIONS);
        requireEqual(pdu, decodeOrReject(decoder::decode, again, context), input, context);
    }

    public static void lldpduRoundTrips(Lldpdu pdu, byte[] input, Supplier<String> context) {
        byte[] again = encodeOrViolate(() -> {
            ByteBuffer out = ByteBuffer.allocate(pdu.encodedLength());
            new LldpEncoder().encode(pdu, out);
            return out.array();
        }, input, context);
        LldpDecoder decoder = new LldpDecoder(1500 + END_TLV_SLACK, LldpDecoder.DEFAULT_MAX_TLVS);
        requireEqual(pdu, decodeOrReject(decoder::decode, again, context), input, context);
    }

    public static void ecpduRoundTrips(Ecpdu pdu, byte[] input, Supplier<String> context) {
        byte[] again = encodeOrViolate(() -> {
            ByteBuffer out = ByteBuffer.allocate(Ecpdu.HEADER_LENGTH + pdu.payloadLength());
            new EcpEncoder().encode(pdu, out);
            return out.array();
        }, input, context);
        requireEqual(pdu, decodeOrReject(new EcpDecoder()::decode, again, context), input, context);
    }

    /** Every part the frame decoder found round-trips on its own. */
    public static void frameRoundTrips(DecodedFrame frame, CodePoints codePoints, byte[] input, Supplier<String> context) {
        if (frame.ecp() != null) {
            ecpduRoundTrips(frame.ecp(), input, context);
        }
        if (frame.vdp() != null) {
            vdpduRoundTrips(frame.vdp(), codePoints, input, context);
        }
        if (frame.lldp() != null) {
            lldpduRoundTrips(frame.lldp(), input, context);
        }
    }

    /** Whole-frame decoding, which reads from index 0 and leaves the position alone. */
    public static DecodedFrame decodeFrameOrReject(FrameDecoder decoder, byte[] input, Supplier<String> context) {
        try {
            return decoder.decode(input);
        } catch (MalformedFrameException e) {
            if (e.offset() < 0 || e.offset() > input.length) {
                throw new Violation(context.get() + ": offset " + e.offset() + " outside the frame", input, e);
            }
            return null;
        } catch (Throwable t) {
            throw new Violation(context.get() + ": frame decoder threw " + t + " instead of MalformedFrameException", input, t);
        }
    }

    private static byte[] encodeOrViolate(Supplier<byte[]> encode, byte[] input, Supplier<String> context) {
        try {
            return encode.get();
        } catch (Throwable t) {
            throw new Violation(context.get() + ": a decoded value failed to encode: " + t, input, t);
        }
    }

    private static void requireEqual(Object decoded, Object again, byte[] input, Supplier<String> context) {
        if (again == null) {
            throw new Violation(context.get() + ": the re-encoded " + decoded + " was rejected", input, null);
        }
        if (!decoded.equals(again) || decoded.hashCode() != again.hashCode()) {
            throw new Violation(context.get() + ": round trip changed\n" + decoded + "\ninto\n" + again, input, null);
        }
    }
}
