/**
 * The tNVE: the hypervisor side of a Split-NVE (RFC 8394 sections 2 and 4). It owns the VDP
 * station engine (per-VSI state machine, keep-alive and response-wait timers), VN_Connect and
 * VN_Disconnect, the TSI state machine (Init, Associated, Activated) and the VM lifecycle adapter
 * that maps create, live migration, pause, suspend, resume and shutdown onto VDP requests. It
 * speaks to the bridge through {@code ecp-transport} and encodes with {@code vdp-core}.
 */
package org.splitnve.tnve;
