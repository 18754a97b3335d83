/**
 * Examples that embed the library: the tNVE in hypervisor tooling (libvirt-style virtualport
 * parameters and VM lifecycle events in, VDP on a NIC out) and the nNVE in a switch OS (nNVE,
 * data plane and policy file wired on given interfaces).
 */
package org.splitnve.examples;
