/**
 * The nNVE control plane: the switch side of a Split-NVE (RFC 8394 sections 3 and 4). It owns
 * the VDP bridge engine (keep-alive timeout, resource wait, unsolicited De-Associate), local tag
 * allocation per port, the VAP state machine per VN and the TSI state machine per (TSI, port), and
 * the NVA and authorization policy interfaces. The data plane learns tag-to-VN mappings and active
 * TSI addresses through an interface defined here.
 */
package org.splitnve.nnve;
