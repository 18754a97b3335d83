/**
 * Capture files: {@link org.splitnve.ecptransport.capture.PcapWriter} writes classic pcap, the base
 * of the link recorder. Reading capture files is left to libpcap (through pcap4j, in the command
 * line), which also reads pcapng and other link types.
 */
package org.splitnve.ecptransport.capture;
