/**
 * The overlay directory: which remote NVE holds a TSI's address and which NVEs make up each VN's flood list, fed
 * by the NVA and read by the forwarding path as immutable snapshots.
 */
package org.splitnve.nvedataplane.directory;
