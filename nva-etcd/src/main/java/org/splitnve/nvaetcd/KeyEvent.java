package org.splitnve.nvaetcd;

/**
 * One key as etcd reported it, in a list or a watch event, free of the client library's types so that the
 * {@link Mirror} can be tested on its own.
 *
 * @param value          the UTF-8 value; empty for a deletion
 * @param createRevision when the key was created (0 for a deletion)
 * @param modRevision    the revision of this put or deletion
 */
record KeyEvent(String key, String value, long createRevision, long modRevision, boolean deleted) {

    static KeyEvent put(String key, String value, long createRevision, long modRevision) {
        return new KeyEvent(key, value, createRevision, modRevision, false);
    }

    static KeyEvent delete(String key, long modRevision) {
        return new KeyEvent(key, "", 0, modRevision, true);
    }
}
