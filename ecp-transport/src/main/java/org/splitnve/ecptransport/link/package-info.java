/**
 * Ports that send and receive whole Ethernet frames: a NIC through libpcap, in-memory links and a bridged network
 * with seeded faults for tests and the demo, and a recording link that writes what passes to a capture.
 */
package org.splitnve.ecptransport.link;
