/**
 * The {@code splitnve} command line: the embedded demo, capture decoding, the sample conversation, {@code bridge} and
 * {@code station} on a NIC, the conformance suite and the bench. The only module that depends on picocli and Jackson.
 */
package org.splitnve.cli;
