package org.splitnve.nvaetcd;

import org.splitnve.nnve.nva.VnContext;

/** A VN could not be defined because etcd already gives its name or its VNI to another VN. */
public final class VnConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient VnContext wanted;

    public VnConflictException(VnContext wanted, String why) {
        super("cannot define " + wanted.vn() + " as '" + wanted.name() + "': " + why);
        this.wanted = wanted;
    }

    /** The definition that was refused. */
    public VnContext wanted() {
        return wanted;
    }
}
