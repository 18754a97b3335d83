/**
 * Who may join which VN and claim which address: the authorization policy the nNVE consults before it accepts a
 * request, and the policy file format that {@code splitnve bridge --policy} reads.
 */
package org.splitnve.nnve.policy;
