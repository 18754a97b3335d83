/**
 * JMH benchmarks of the hot paths: the VDP codecs and the data plane's encapsulation and decapsulation, run with
 * {@code java -jar benchmarks/target/benchmarks.jar} (add {@code -prof gc} to see bytes allocated per operation).
 */
package org.splitnve.benchmarks;
