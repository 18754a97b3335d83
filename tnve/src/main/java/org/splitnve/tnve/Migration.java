package org.splitnve.tnve;

/**
 * What a request says about migration (docs/PROTOCOL.md 4.2). With the migration indication on, 0x80 is set and
 * {@link #NONE} explicitly means "not a migration"; {@link #TO_THIS_STATION} sets M; {@link #FROM_THIS_STATION}
 * sets S, which also means "suspended". A legacy bridge gets M and S without 0x80.
 */
public enum Migration {
    NONE,
    TO_THIS_STATION,
    FROM_THIS_STATION
}
