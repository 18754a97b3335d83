/**
 * The LLDP agent with the EVB TLV (docs/PROTOCOL.md section 2): it advertises this end's role and timers, tracks
 * neighbours, and negotiates the operating R, RTE, RWD and RKA the way lldpad does.
 */
package org.splitnve.ecptransport.lldp;
