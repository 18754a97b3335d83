package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LldpadConfigTest {

    @Test
    void bridgeWithTimersRendersTheSyntaxLldpadSaves() {
        String text = LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true)
                .withEcpRetries(5).withEcpRte(10).withVdpRwd(18).withVdpRka(16)
                .render("eth7");
        assertThat(text).isEqualTo("""
                nearest_customer_bridge :
                {
                  eth7 :
                  {
                    adminStatus = 3;
                    tlvid0080c20d :
                    {
                      enableTx = true;
                      evbmode = "bridge";
                      evbgpid = true;
                      ecpretries = 5;
                      ecprte = 10;
                      vdprwd = 18;
                      vdprka = 16;
                    };
                  };
                };
                """);
    }

    @Test
    void defaultsLeaveTimersToLldpad() {
        String text = LldpadConfig.of(LldpadConfig.Role.STATION).render("eth0");
        assertThat(text).contains("evbmode = \"station\";", "evbgpid = false;").doesNotContain("ecprte", "vdprka");
    }

    @Test
    void outOfRangeValuesAreRejected() {
        LldpadConfig config = LldpadConfig.of(LldpadConfig.Role.STATION);
        assertThatThrownBy(() -> config.withEcpRetries(8)).hasMessageContaining("ecpretries");
        assertThatThrownBy(() -> config.withVdpRka(32)).hasMessageContaining("vdprka");
        assertThatThrownBy(() -> config.withEcpRte(-1)).hasMessageContaining("ecprte");
    }

    @Test
    void rolesKnowTheirPeer() {
        assertThat(LldpadConfig.Role.STATION.peer()).isEqualTo(LldpadConfig.Role.BRIDGE);
        assertThat(LldpadConfig.Role.BRIDGE.peer()).isEqualTo(LldpadConfig.Role.STATION);
    }
}
