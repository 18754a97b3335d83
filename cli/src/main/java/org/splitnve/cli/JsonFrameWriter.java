package org.splitnve.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
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
 * One JSON object per line for each ECP or LLDP frame, written with Jackson's streaming generator
 * (no tree per frame). Keys: {@code frame}, {@code time}, {@code length}, {@code src},
 * {@code dst} (left out when the capture does not record it), {@code vlan} (tagged frames),
 * {@code ethertype}; then {@code ecp}, {@code vdp}, {@code lldp} and {@code evb} where present; for
 * a malformed frame {@code error}, {@code errorOffset}, {@code vdpError} and {@code vdpErrorName}.
 */
final class JsonFrameWriter implements FrameWriter {

    private final JsonGenerator g;
    private final CodePoints codePoints;
    private final VdpEncoder statusOctets;
    private final ManagerCache managers = new ManagerCache();
    private final StringBuilder timeText = new StringBuilder(32);
    private long timeSecond = Long.MIN_VALUE;
    private int timePrefix;

    JsonFrameWriter(Writer out, CodePoints codePoints) throws IOException {
        JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
        this.g = factory.createGenerator(out);
        // One object per line: no separator between root values, a newline after each instead.
        g.setRootValueSeparator(new SerializedString(""));
        this.codePoints = codePoints;
        this.statusOctets = new VdpEncoder(codePoints);
    }

    @Override
    public void decoded(CapturedFrame frame, DecodedFrame d) throws IOException {
        g.writeStartObject();
        frameFields(frame, d.ethernet());
        if (d.ecp() != null) {
            ecp(d.ecp());
        }
        if (d.vdp() != null) {
            vdp(d.vdp());
        }
        if (d.lldp() != null) {
            lldp(d.lldp());
        }
        end();
    }

    @Override
    public void malformed(CapturedFrame frame, EthernetHeader eth, Ecpdu ecp, MalformedFrameException e) throws IOException {
        g.writeStartObject();
        frameFields(frame, eth);
        if (ecp != null) {
            ecp(ecp);
        }
        g.writeStringField("error", e.reason());
        g.writeNumberField("errorOffset", e.offset());
        g.writeNumberField("vdpError", e.vdpError().value());
        g.writeStringField("vdpErrorName", e.vdpError().name());
        if (frame.isTruncated()) {
            g.writeBooleanField("truncated", true);
        }
        end();
    }

    private void end() throws IOException {
        g.writeEndObject();
        g.writeRaw('\n');
    }

    private void frameFields(CapturedFrame f, EthernetHeader eth) throws IOException {
        g.writeNumberField("frame", f.number());
        g.writeStringField("time", time(f.epochSecond(), f.nanos()));
        g.writeNumberField("length", f.originalLength());
        if (f.isTruncated()) {
            g.writeNumberField("capturedLength", f.capturedLength());
        }
        if (eth == null) {
            return;
        }
        g.writeStringField("src", eth.src().toString());
        if (f.dstKnown()) {
            g.writeStringField("dst", eth.dst().toString());
        }
        if (eth.isTagged()) {
            g.writeNumberField("vlan", eth.vlanId());
        }
        g.writeStringField("ethertype", EtherType.hex(eth.etherType()));
    }

    /**
     * ISO-8601 UTC with as many fraction digits as needed, as {@link Instant#toString()} writes it;
     * the date and time of day are formatted once per second of capture time.
     */
    String time(long second, int nanos) {
        if (second != timeSecond) {
            String whole = Instant.ofEpochSecond(second).toString(); // ends with 'Z'
            timeText.setLength(0);
            timeText.append(whole, 0, whole.length() - 1);
            timePrefix = timeText.length();
            timeSecond = second;
        }
        timeText.setLength(timePrefix);
        if (nanos != 0) {
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            timeText.append('.');
            for (int i = 0, d = 100_000_000; i < digits; i++, d /= 10) {
                timeText.append((char) ('0' + nanos / d % 10));
            }
        }
        return timeText.append('Z').toString();
    }

    private void ecp(Ecpdu e) throws IOException {
        g.writeObjectFieldStart("ecp");
        g.writeNumberField("version", e.version());
        g.writeStringField("op", e.operation().name());
        g.writeNumberField("subtype", e.subtype().value());
        g.writeStringField("subtypeName", e.subtype().name());
        g.writeNumberField("seq", e.sequence());
        g.writeEndObject();
    }

    private void vdp(Vdpdu v) throws IOException {
        g.writeObjectFieldStart("vdp");
        g.writeStringField("managerId", managers.hex(v.managerId()));
        String name = managers.name(v.managerId());
        if (name != null) {
            g.writeStringField("managerName", name);
        }
        g.writeArrayFieldStart("tlvs");
        for (AssociationTlv t : v.associations()) {
            association(t);
        }
        for (OrganizationalTlv t : v.organizational()) {
            g.writeStartObject();
            g.writeStringField("type", "org");
            g.writeStringField("oui", Names.oui(t.oui()));
            g.writeNumberField("subtype", t.subtype());
            g.writeStringField("data", HexDump.hex(t.data()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void association(AssociationTlv t) throws IOException {
        VsiStatus s = t.status();
        g.writeStartObject();
        g.writeStringField("type", t.type().name());
        g.writeStringField("status", Names.hex2(statusOctets.statusOctet(s)));
        g.writeBooleanField("response", s.isResponse());
        g.writeBooleanField("m", s.m());
        g.writeBooleanField("s", s.s());
        g.writeBooleanField("miValid", s.migrationIndicationValid());
        g.writeBooleanField("keep", s.keep());
        g.writeBooleanField("hardError", s.hardError());
        g.writeNumberField("error", s.error().value());
        if (!s.error().isSuccess()) {
            g.writeStringField("errorName", s.error().name());
        }
        g.writeNumberField("typeId", t.typeId());
        g.writeNumberField("typeVersion", t.typeVersion());
        g.writeStringField("vsiIdFormat", t.vsiId().format().name());
        g.writeStringField("vsiId", t.vsiId().toString());
        FilterInfo f = t.filter();
        g.writeNumberField("filterFormat", codePoints.code(f.format()));
        g.writeStringField("filterFormatName", Names.filterFormat(f.format()));
        g.writeArrayFieldStart("entries");
        for (FilterEntry e : f.entries()) {
            g.writeStartObject();
            if (e.hasGroupId()) {
                g.writeNumberField("groupId", e.groupId());
            }
            if (e.mac() != null) {
                g.writeStringField("mac", e.mac().toString());
            }
            if (e.ip() != null) {
                g.writeStringField("ip", IpText.format(e.ip()));
            }
            g.writeBooleanField("ps", e.ps());
            g.writeNumberField("pcp", e.pcp());
            g.writeNumberField("vid", e.vid());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void lldp(Lldpdu l) throws IOException {
        g.writeObjectFieldStart("lldp");
        g.writeStringField("chassis", l.chassisId().toString());
        g.writeNumberField("chassisSubtype", l.chassisId().subtype());
        g.writeStringField("port", l.portId().toString());
        g.writeNumberField("portSubtype", l.portId().subtype());
        g.writeNumberField("ttl", l.ttl());
        boolean others = false;
        for (LldpTlv t : l.tlvs()) {
            if (t instanceof EvbTlv) {
                continue;
            }
            if (!others) {
                g.writeArrayFieldStart("tlvs");
                others = true;
            }
            g.writeStartObject();
            g.writeNumberField("type", t.type());
            if (t instanceof OrganizationallySpecificTlv o) {
                g.writeStringField("oui", Names.oui(o.oui()));
                g.writeNumberField("subtype", o.subtype());
                g.writeStringField("data", HexDump.hex(o.info()));
            } else if (t instanceof BasicTlv b) {
                g.writeStringField("data", HexDump.hex(b.value()));
            }
            g.writeEndObject();
        }
        if (others) {
            g.writeEndArray();
        }
        g.writeEndObject();
        EvbTlv e = l.evb();
        if (e != null) {
            evb(e);
        }
    }

    private void evb(EvbTlv e) throws IOException {
        g.writeObjectFieldStart("evb");
        g.writeNumberField("bridgeStatus", e.bridgeStatus());
        g.writeNumberField("stationStatus", e.stationStatus());
        g.writeNumberField("r", e.r());
        g.writeNumberField("rte", e.rte());
        g.writeStringField("mode", e.mode().name());
        g.writeNumberField("rwd", e.rwd());
        g.writeNumberField("rka", e.rka());
        g.writeBooleanField("bgid", e.bgid());
        g.writeBooleanField("rrcap", e.rrcap());
        g.writeBooleanField("rrctr", e.rrctr());
        g.writeBooleanField("sgid", e.sgid());
        g.writeBooleanField("rrreq", e.rrreq());
        g.writeNumberField("rrstat", e.rrstat());
        g.writeBooleanField("rolRwd", e.rolRwd());
        g.writeBooleanField("rolRka", e.rolRka());
        g.writeEndObject();
    }

    @Override
    public void flush() throws IOException {
        g.flush();
    }
}
