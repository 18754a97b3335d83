package org.splitnve.cli;

import java.nio.ByteBuffer;

/**
 * One frame of a capture file, as an Ethernet frame.
 *
 * @param number         1-based position in the file
 * @param epochSecond    capture time, seconds since the Unix epoch
 * @param nanos          capture time, nanoseconds within the second
 * @param capturedLength octets stored in the file (the link-layer header of the file's link type included)
 * @param originalLength octets the frame had on the wire
 * @param frame          the Ethernet frame from index 0 to the limit; for Linux cooked captures a
 *                       reconstruction whose destination is unknown (zero)
 * @param dstKnown       false when the link type does not record the destination address
 */
record CapturedFrame(long number, long epochSecond, int nanos, int capturedLength, int originalLength, ByteBuffer frame,
                     boolean dstKnown) {

    boolean isTruncated() {
        return capturedLength < originalLength;
    }
}
