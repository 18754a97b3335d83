package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LibpcapProbeTest {

    @Test
    void aLoadableLibraryGivesItsVersionAndIsProbedOnlyOnce() {
        AtomicInteger calls = new AtomicInteger();
        LibpcapProbe probe = new LibpcapProbe(() -> {
            calls.incrementAndGet();
            return "libpcap version 1.10.3";
        });

        assertThat(probe.check().available()).isTrue();
        assertThat(probe.check().version()).isEqualTo("libpcap version 1.10.3");
        assertThat(calls).hasValue(1);
    }

    @Test
    void theFirstFailureIsKeptBecausePcap4jCannotRetryItsStaticInitializer() {
        AtomicInteger calls = new AtomicInteger();
        LibpcapProbe probe = new LibpcapProbe(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new UnsatisfiedLinkError("Unable to load library 'pcap'");
            }
            throw new NoClassDefFoundError("Could not initialize class org.pcap4j.core.NativeMappings");
        });

        assertThat(probe.check().problem()).isEqualTo(LibpcapProbe.MISSING);
        assertThat(probe.check().problem()).isEqualTo(LibpcapProbe.MISSING);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailureOfJnasOwnNativePartIsNotBlamedOnLibpcap() {
        LibpcapProbe probe = new LibpcapProbe(() -> {
            throw new UnsatisfiedLinkError("Can't load library: jna5678.tmp\nmore detail");
        });

        assertThat(probe.check().available()).isFalse();
        assertThat(probe.check().problem())
                .isEqualTo("cannot load the native code that reads capture files (JNA): Can't load library: jna5678.tmp");
    }

    @Test
    void theRealLibpcapIsFoundWhenInstalled() {
        org.splitnve.testsupport.Prerequisites.requireLibpcap();

        assertThat(LibpcapProbe.system().check().version()).startsWith("libpcap version");
    }
}
