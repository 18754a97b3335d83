package org.splitnve.nnve.nva;

import java.util.Objects;

/**
 * One change of one view of an {@link ObservableNva}: a holder of {@code mapping} came ({@code published}) or went.
 * A mapping held twice is published twice, and withdrawn twice before it is gone (the views are multisets).
 */
public record NvaChange(TsiMapping mapping, NvaView view, boolean published) {

    public NvaChange {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(view, "view");
    }
}
