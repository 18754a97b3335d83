package org.splitnve.cli;

import org.splitnve.ecptransport.link.Libpcap;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LibpcapTest {

    @Test
    void aLoadableLibraryGivesItsVersionAndIsProbedOnlyOnce() {
        AtomicInteger calls = new AtomicInteger();
        Libpcap probe = new Libpcap(() -> {
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
        Libpcap probe = new Libpcap(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new UnsatisfiedLinkError("Unable to load library 'pcap'");
            }
            throw new NoClassDefFoundError("Could not initialize class org.pcap4j.core.NativeMappings");
        });

        assertThat(probe.check().problem()).isEqualTo(Libpcap.MISSING);
        assertThat(probe.check().problem()).isEqualTo(Libpcap.MISSING);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailureOfJnasOwnNativePartIsNotBlamedOnLibpcap() {
        Libpcap probe = new Libpcap(() -> {
            throw new UnsatisfiedLinkError("Can't load library: jna5678.tmp\nmore detail");
        });

        assertThat(probe.check().available()).isFalse();
        assertThat(probe.check().problem())
                .isEqualTo("cannot load JNA's native code, which libpcap is called through: Can't load library: jna5678.tmp");
    }

    @Test
    void theRealLibpcapIsFoundWhenInstalled() {
        org.splitnve.testsupport.Prerequisites.requireLibpcap();

        assertThat(Libpcap.system().check().version()).startsWith("libpcap version");
    }
}
