/**
 * The Network Virtualization Authority as the nNVE sees it (RFC 8394 sections 3.1 and 3.2): VN contexts, and TSI
 * address mappings in a mapping view (Associated) and a forwarding view (Activated). {@code InMemoryNva} is the
 * embedded default; both it and the etcd NVA are {@code ObservableNva}s, which the data plane follows.
 */
package org.splitnve.nnve.nva;
