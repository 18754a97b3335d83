/**
 * The nNVE data plane (docs/PROTOCOL.md section 5): frames tagged with a port's local tag in, VXLAN
 * (and Geneve) out toward the remote NVE and back, only for Activated TSIs, with anti-spoofing,
 * head-end replication and in-flight forwarding after a migration. Depends on {@code nnve} for
 * the tag-to-VN mappings and the set of active TSI addresses.
 */
package org.splitnve.nvedataplane;
