package org.splitnve.ecptransport.vdp;

/**
 * Counts of one {@link VdpChannel}.
 *
 * @param pdusOut         VDPDUs handed to ECP
 * @param tlvsOut         association TLVs in them
 * @param pdusIn          VDPDUs received
 * @param tlvsIn          good association TLVs received
 * @param malformedPdus   VDPDUs whose framing was broken (dropped whole)
 * @param rejectedTlvs    association TLVs that did not decode
 * @param skippedUnknown  TLVs of an unknown type, skipped
 * @param undelivered     requests whose ECPDU ran out of retries or could not be queued
 */
public record VdpChannelCounters(long pdusOut, long tlvsOut, long pdusIn, long tlvsIn, long malformedPdus,
                                 long rejectedTlvs, long skippedUnknown, long undelivered) {
}
