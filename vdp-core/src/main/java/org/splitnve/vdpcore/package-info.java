/**
 * Wire values shared by every codec (MAC addresses, IP text, hex dumps), the one checked exception of every
 * decoder, and {@code CodePoints}, the registry of the project's own code points that 802.1Qcy values can replace.
 */
package org.splitnve.vdpcore;
