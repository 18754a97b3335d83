/**
 * ECP exchange rate and round-trip measurement between two of our engines, shared by the measurement tests and
 * {@code splitnve bench} so both report the same figure the same way.
 */
package org.splitnve.ecptransport.bench;
