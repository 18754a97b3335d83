/**
 * Time for the protocol engines: one {@code Scheduler} thread per stack, real or virtual, so that state machines
 * need no locks and a test can run a whole exchange, timers included, in virtual time.
 */
package org.splitnve.ecptransport.clock;
