/**
 * The NVA on etcd: VN contexts defined by compare-and-swap, each nNVE's TSI address mappings under a lease of its
 * own, and a watch that feeds every nNVE's data plane (docs/NVA-ETCD.md). Kept in its own module so that jetcd and
 * what it pulls in (gRPC, Netty, Vert.x, Guava) stay out of the core modules.
 */
package org.splitnve.nvaetcd;
