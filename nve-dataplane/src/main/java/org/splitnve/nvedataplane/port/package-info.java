/**
 * Data-plane ports: a NIC through any {@code Link}, in-memory ports and underlay for tests and the demo, and the
 * pooled buffers that let the forwarding path hold frames without allocating.
 */
package org.splitnve.nvedataplane.port;
