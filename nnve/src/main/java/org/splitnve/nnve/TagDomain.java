package org.splitnve.nnve;

/**
 * How far a local tag's significance reaches (RFC 8394 3.1). {@link #PER_PORT}: the hypervisor is
 * directly attached, each port has its own VID space. {@link #SHARED}: a bridge (e.g. a blade
 * switch) sits between hypervisors and the NVE, so a VN has one tag on every port of the bridge
 * domain and no two VNs share a tag anywhere in it.
 */
public enum TagDomain {
    PER_PORT,
    SHARED
}
