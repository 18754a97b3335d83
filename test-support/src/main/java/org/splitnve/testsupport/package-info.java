/**
 * Lab helpers for tests and the bench: network namespaces and veth pairs the caller creates and removes, real
 * peers (lldpad, tshark, dumpcap) started and stopped by PID, and the rule that a missing prerequisite skips a
 * test when run by hand and fails it when {@code CI=true}.
 */
package org.splitnve.testsupport;
