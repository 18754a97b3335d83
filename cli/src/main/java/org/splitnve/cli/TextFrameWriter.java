package org.splitnve.cli;

import java.io.PrintWriter;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.frame.DecodedFrame;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.frame.EthernetHeader;
import org.splitnve.vdpcore.lldp.BasicTlv;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.LldpTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.OrganizationallySpecificTlv;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.OrganizationalTlv;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Human-readable output: a line per frame (number, seconds since the first frame of the file,
 * source &gt; destination, protocol, length), then indented lines for each layer. Each frame is
 * assembled in one reused builder and handed to the writer in one call.
 */
final class TextFrameWriter implements FrameWriter {

    private static final String I1 = "    ";
    private static final String I2 = "        ";
    private static final String I3 = "          ";

    private final PrintWriter out;
    private final CodePoints codePoints;
    private final VdpEncoder statusOctets;
    private final StringBuilder sb = new StringBuilder(1024);
    private final ManagerCache managers = new ManagerCache();
    private long firstNanos = Long.MIN_VALUE;

    TextFrameWriter(PrintWriter out, CodePoints codePoints) {
        this.out = out;
        this.codePoints = codePoints;
        this.statusOctets = new VdpEncoder(codePoints);
    }

    @Override
    public void decoded(CapturedFrame frame, DecodedFrame d) {
        sb.setLength(0);
        headline(frame, d.ethernet());
        sb.append('\n');
        if (d.ecp() != null) {
            ecp(d.ecp());
        }
        if (d.vdp() != null) {
            vdp(d.vdp());
        }
        if (d.lldp() != null) {
            lldp(d.lldp());
        }
        out.append(sb);
    }

    @Override
    public void malformed(CapturedFrame frame, EthernetHeader eth, Ecpdu ecp, MalformedFrameException e) {
        sb.setLength(0);
        headline(frame, eth);
        sb.append("  MALFORMED\n");
        if (ecp != null) {
            ecp(ecp);
        }
        sb.append(I1).append("error: ").append(e.reason()).append(" at offset ").append(e.offset())
                .append(" (VDP error ").append(e.vdpError().value()).append(", ").append(e.vdpError().name()).append(")\n");
        if (frame.isTruncated()) {
            sb.append(I1).append("note: the capture kept ").append(frame.capturedLength()).append(" of ")
                    .append(frame.originalLength()).append(" octets\n");
        }
        for (String line : e.hexDump().split("\n")) {
            if (!line.isEmpty()) {
                sb.append(I2).append(line).append('\n');
            }
        }
        out.append(sb);
    }

    private void headline(CapturedFrame f, EthernetHeader eth) {
        long t = f.epochSecond() * 1_000_000_000L + f.nanos();
        if (firstNanos == Long.MIN_VALUE) {
            firstNanos = t;
        }
        sb.append(f.number()).append("  ");
        Names.seconds(sb, t - firstNanos);
        if (eth == null) {
            sb.append("  (no Ethernet header)  ").append(f.capturedLength()).append(" octets");
            return;
        }
        eth.src().appendTo(sb.append("  ")).append(" > ");
        if (f.dstKnown()) {
            eth.dst().appendTo(sb);
        } else {
            sb.append('?');
        }
        if (eth.isTagged()) {
            sb.append("  vlan ").append(eth.vlanId());
        }
        sb.append("  ").append(EtherType.name(eth.etherType())).append("  ");
        if (f.isTruncated()) {
            sb.append(f.capturedLength()).append(" of ");
        }
        sb.append(f.originalLength()).append(" octets");
    }

    private void ecp(Ecpdu e) {
        sb.append(I1).append("ECP v").append(e.version()).append(' ').append(e.operation().name())
                .append("  subtype ").append(e.subtype().value()).append(" (").append(e.subtype().name()).append(')')
                .append("  seq ").append(e.sequence()).append('\n');
    }

    private void vdp(Vdpdu v) {
        sb.append(I1).append("VDP manager ").append(managers.text(v.managerId())).append('\n');
        for (AssociationTlv t : v.associations()) {
            association(t);
        }
        for (OrganizationalTlv t : v.organizational()) {
            sb.append(I1).append("org TLV  oui ").append(Names.oui(t.oui())).append("  subtype ").append(t.subtype())
                    .append("  data ").append(HexDump.hex(t.data())).append('\n');
        }
    }

    private void association(AssociationTlv t) {
        VsiStatus s = t.status();
        sb.append(I1).append(t.type().name()).append("  status ").append(Names.hex2(statusOctets.statusOctet(s)));
        if (s.isResponse()) {
            sb.append(" response  keep=").append(bit(s.keep())).append(" hard-error=").append(bit(s.hardError()))
                    .append(" error=").append(s.error().value()).append(" (").append(s.error().name()).append(')');
        } else {
            sb.append(" request  M=").append(bit(s.m())).append(" S=").append(bit(s.s()));
        }
        sb.append(" mi-valid=").append(bit(s.migrationIndicationValid())).append('\n');
        sb.append(I2).append("type ID ").append(t.typeId()).append(" version ").append(t.typeVersion())
                .append("  VSI ID ").append(t.vsiId().format().name()).append(' ').append(t.vsiId()).append('\n');
        FilterInfo f = t.filter();
        int n = f.entries().size();
        sb.append(I2).append("filter ").append(Names.hex2(codePoints.code(f.format()))).append(' ')
                .append(Names.filterFormatLabel(f.format())).append(", ").append(n).append(n == 1 ? " entry\n" : " entries\n");
        for (FilterEntry e : f.entries()) {
            sb.append(I3);
            if (e.hasGroupId()) {
                sb.append("GroupID ").append(e.groupId()).append("  ");
            }
            if (e.mac() != null) {
                sb.append("MAC ").append(e.mac()).append("  ");
            }
            if (e.ip() != null) {
                sb.append("IP ").append(IpText.format(e.ip())).append("  ");
            }
            sb.append("PS ").append(bit(e.ps())).append(" PCP ").append(e.pcp()).append(" VID ").append(e.vid());
            if (e.vid() == FilterEntry.NULL_VID) {
                sb.append(" (null)");
            }
            sb.append('\n');
        }
    }

    private void lldp(Lldpdu l) {
        sb.append(I1).append("LLDP chassis ").append(l.chassisId()).append(" (subtype ").append(l.chassisId().subtype())
                .append(")  port ").append(l.portId()).append(" (subtype ").append(l.portId().subtype())
                .append(")  TTL ").append(l.ttl()).append('\n');
        for (LldpTlv t : l.tlvs()) {
            if (t instanceof EvbTlv e) {
                evb(e);
            } else if (t instanceof OrganizationallySpecificTlv o) {
                sb.append(I1).append("org TLV  oui ").append(Names.oui(o.oui())).append("  subtype ").append(o.subtype())
                        .append("  ").append(o.valueLength() - 4).append(" octets\n");
            } else if (t instanceof BasicTlv b) {
                sb.append(I1).append("TLV type ").append(b.type()).append("  ").append(b.valueLength()).append(" octets\n");
            }
        }
    }

    private void evb(EvbTlv e) {
        sb.append(I1).append("EVB mode ").append(e.mode().name())
                .append("  bridge status ").append(Names.hex2(e.bridgeStatus()))
                .append(" (BGID=").append(bit(e.bgid())).append(" RRCAP=").append(bit(e.rrcap()))
                .append(" RRCTR=").append(bit(e.rrctr())).append(')')
                .append("  station status ").append(Names.hex2(e.stationStatus()))
                .append(" (SGID=").append(bit(e.sgid())).append(" RRREQ=").append(bit(e.rrreq()))
                .append(" RRSTAT=").append(e.rrstat()).append(")\n");
        sb.append(I2).append("R ").append(e.r())
                .append("  RTE ").append(e.rte()).append(" (").append(Names.timer(e.rte())).append(')')
                .append("  RWD ").append(e.rwd()).append(" (").append(Names.timer(e.rwd())).append(") ROL=").append(bit(e.rolRwd()))
                .append("  RKA ").append(e.rka()).append(" (").append(Names.timer(e.rka())).append(") ROL=").append(bit(e.rolRka()))
                .append('\n');
    }

    private static char bit(boolean b) {
        return b ? '1' : '0';
    }

    @Override
    public void flush() {
        out.flush();
    }
}
