/**
 * Open-addressing tables keyed by primitive longs, so that the forwarding path looks up MACs, IPs and VNIs
 * without boxing or allocating.
 */
package org.splitnve.nvedataplane.table;
