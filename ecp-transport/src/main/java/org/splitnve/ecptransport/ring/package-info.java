/**
 * Linux {@code AF_PACKET} sockets with {@code TPACKET_V3} memory-mapped receive and transmit rings, reached
 * through JNA: frames are read and written in place in memory the kernel shares with us, in batches, one
 * {@code poll} and one {@code sendto} per batch and no allocation per frame. {@link
 * org.splitnve.ecptransport.ring.PacketSocket} owns one socket and its rings, {@link
 * org.splitnve.ecptransport.ring.RingReceiver} its receive thread, and {@link
 * org.splitnve.ecptransport.link.RingLink} is a {@code Link} on it.
 */
package org.splitnve.ecptransport.ring;
