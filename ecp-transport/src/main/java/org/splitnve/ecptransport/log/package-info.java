/**
 * Logging of what neighbours send that is malformed or refused, bounded per port and reason, so that a flood of bad
 * input is counted in full but cannot fill the log.
 */
package org.splitnve.ecptransport.log;
