-- splitnve.lua: Wireshark dissector for RFC 8394 Split-NVE over IEEE 802.1Q ECP/VDP and the EVB TLV,
-- as the splitnve project puts them on the wire. The wire reference is docs/PROTOCOL.md in the splitnve
-- repository; the Java codecs in vdp-core are the reference implementation. Wireshark 4.0's own ECP/VDP
-- dissector follows 802.1Qbg draft 2.1 and gets entry counts, GroupID formats and the PS/PCP masks wrong,
-- so this one replaces it for EtherType 0x8940.
--
-- Load with:   tshark -X lua_script:wireshark/splitnve.lua -r capture.pcap
-- or copy into ~/.local/lib/wireshark/plugins/.
--
-- The NVO3 code points that are the project's own (filter formats 0x05/0x06/0x07 and the 0x80
-- "migration indication valid" status bit) are preferences of the splitnve.vdp protocol, matching the
-- Java CodePoints registry:  -o splitnve.vdp.fmt_groupid_ip_vid:9  and so on.
--
-- Every read is bounds-checked: malformed input becomes expert info, never a Lua error.

local band, rshift = bit32.band, bit32.rshift

---------------------------------------------------------------------------------------------------
-- Protocols
---------------------------------------------------------------------------------------------------

local p_ecp = Proto("splitnve.ecp", "Split-NVE Edge Control Protocol (802.1Q clause 43)")
local p_vdp = Proto("splitnve.vdp", "Split-NVE VSI Discovery and Configuration Protocol (802.1Q clause 41)")
local p_evb = Proto("splitnve.evb", "Split-NVE EVB TLV (802.1Q clause 41 LLDP)")

---------------------------------------------------------------------------------------------------
-- Value names
---------------------------------------------------------------------------------------------------

local ECP_OPS = { [0] = "request", [1] = "ack" }
local ECP_SUBTYPES = { [1] = "VDP", [2] = "PE CSP" }

local TLV_NAMES = {
    [0] = "End of VDPDU", [1] = "Pre-Associate", [2] = "Pre-Associate-RR", [3] = "Associate",
    [4] = "De-Associate", [5] = "VSI Manager ID", [127] = "Organizationally defined",
}

local ERROR_NAMES = {
    [0] = "success", [1] = "invalid format", [2] = "insufficient resources",
    [3] = "unable to contact VSI manager", [4] = "other failure", [5] = "invalid VID, GroupID or MAC address",
}
for i = 6, 15 do ERROR_NAMES[i] = "reserved" end

local VSIID_FORMATS = { [1] = "IPv4", [2] = "IPv6", [3] = "MAC", [4] = "locally defined", [5] = "UUID" }
local AF_NAMES = { [1] = "IPv4", [2] = "IPv6" }
local EVB_MODES = { [0] = "reserved-0", [1] = "bridge", [2] = "station", [3] = "reserved-3" }
local RRSTAT_NAMES = { [0] = "off", [1] = "on", [2] = "reserved", [3] = "not yet known" }

---------------------------------------------------------------------------------------------------
-- Fields
---------------------------------------------------------------------------------------------------

local fe = {
    word     = ProtoField.uint16("splitnve.ecp.word", "Header word", base.HEX),
    version  = ProtoField.uint16("splitnve.ecp.version", "Version", base.DEC, nil, 0xF000),
    op       = ProtoField.uint16("splitnve.ecp.op", "Operation", base.DEC, ECP_OPS, 0x0C00),
    subtype  = ProtoField.uint16("splitnve.ecp.subtype", "Subtype", base.DEC, ECP_SUBTYPES, 0x03FF),
    seq      = ProtoField.uint16("splitnve.ecp.seq", "Sequence number", base.DEC),
    payload  = ProtoField.bytes("splitnve.ecp.payload", "Upper-layer PDU (not decoded)"),
    padding  = ProtoField.bytes("splitnve.ecp.padding", "Padding"),
}
p_ecp.fields = { fe.word, fe.version, fe.op, fe.subtype, fe.seq, fe.payload, fe.padding }

local fv = {
    tlv          = ProtoField.none("splitnve.vdp.tlv", "TLV"),
    tlv_type     = ProtoField.uint16("splitnve.vdp.tlv_type", "TLV type", base.DEC, TLV_NAMES, 0xFE00),
    tlv_len      = ProtoField.uint16("splitnve.vdp.tlv_len", "TLV length", base.DEC, nil, 0x01FF),
    tlv_value    = ProtoField.bytes("splitnve.vdp.tlv_value", "Value (not decoded)"),
    mgrid        = ProtoField.bytes("splitnve.vdp.mgrid", "VSI Manager ID"),
    mgrid_name   = ProtoField.string("splitnve.vdp.mgrid_name", "VSI Manager ID as text"),
    status       = ProtoField.uint8("splitnve.vdp.status", "Status", base.HEX),
    response     = ProtoField.bool("splitnve.vdp.status.response", "Response"),
    m            = ProtoField.bool("splitnve.vdp.status.m", "M (migrating to this station)"),
    s            = ProtoField.bool("splitnve.vdp.status.s", "S (migrating away or suspended)"),
    mi_valid     = ProtoField.bool("splitnve.vdp.status.mi_valid", "Migration indication valid [project]"),
    keep         = ProtoField.bool("splitnve.vdp.status.keep", "Keep (refused, previous state kept)"),
    hard_error   = ProtoField.bool("splitnve.vdp.status.hard_error", "Hard error"),
    reserved     = ProtoField.bool("splitnve.vdp.status.reserved", "Reserved bit 0x80"),
    error        = ProtoField.uint8("splitnve.vdp.status.error", "Error", base.DEC, ERROR_NAMES),
    vsi_type     = ProtoField.uint24("splitnve.vdp.vsi_type", "VSI Type ID", base.DEC),
    vsi_version  = ProtoField.uint8("splitnve.vdp.vsi_version", "VSI Type Version", base.DEC),
    vsiid_format = ProtoField.uint8("splitnve.vdp.vsiid_format", "VSI ID format", base.DEC, VSIID_FORMATS),
    vsiid        = ProtoField.string("splitnve.vdp.vsiid", "VSI ID"),
    vsiid_raw    = ProtoField.bytes("splitnve.vdp.vsiid_raw", "VSI ID octets"),
    vsiid_ipv4   = ProtoField.ipv4("splitnve.vdp.vsiid.ipv4", "VSI ID IPv4 address"),
    vsiid_ipv6   = ProtoField.ipv6("splitnve.vdp.vsiid.ipv6", "VSI ID IPv6 address"),
    vsiid_mac    = ProtoField.ether("splitnve.vdp.vsiid.mac", "VSI ID MAC address"),
    filter_format = ProtoField.uint8("splitnve.vdp.filter_format", "Filter info format", base.HEX),
    entries      = ProtoField.uint16("splitnve.vdp.entries", "Number of entries", base.DEC),
    entry        = ProtoField.none("splitnve.vdp.entry", "Filter entry"),
    groupid      = ProtoField.uint32("splitnve.vdp.groupid", "GroupID (VNI)", base.DEC),
    mac          = ProtoField.ether("splitnve.vdp.mac", "MAC address"),
    af           = ProtoField.uint8("splitnve.vdp.af", "Address family", base.DEC, AF_NAMES),
    ipv4         = ProtoField.ipv4("splitnve.vdp.ipv4", "IPv4 address"),
    ipv6         = ProtoField.ipv6("splitnve.vdp.ipv6", "IPv6 address"),
    pspcpvid     = ProtoField.uint16("splitnve.vdp.pspcpvid", "PS/PCP/VID", base.HEX),
    ps           = ProtoField.bool("splitnve.vdp.ps", "PS (PCP significant)", 16, nil, 0x8000),
    pcp          = ProtoField.uint16("splitnve.vdp.pcp", "PCP", base.DEC, nil, 0x7000),
    vid          = ProtoField.uint16("splitnve.vdp.vid", "VID", base.DEC, nil, 0x0FFF),
    org_oui      = ProtoField.uint24("splitnve.vdp.org.oui", "OUI", base.HEX),
    org_subtype  = ProtoField.uint8("splitnve.vdp.org.subtype", "Subtype", base.DEC),
    org_data     = ProtoField.bytes("splitnve.vdp.org.data", "Data"),
    padding      = ProtoField.bytes("splitnve.vdp.padding", "Padding"),
    trailing     = ProtoField.bytes("splitnve.vdp.trailing", "Undecoded octets"),
}
do
    local list = {}
    for _, f in pairs(fv) do list[#list + 1] = f end
    p_vdp.fields = list
end

local fb = {
    tlv_len        = ProtoField.uint16("splitnve.evb.tlv_len", "TLV length", base.DEC, nil, 0x01FF),
    oui            = ProtoField.uint24("splitnve.evb.oui", "OUI", base.HEX),
    subtype        = ProtoField.uint8("splitnve.evb.subtype", "Subtype", base.HEX),
    bridge_status  = ProtoField.uint8("splitnve.evb.bridge_status", "Bridge status", base.HEX),
    bgid           = ProtoField.bool("splitnve.evb.bgid", "BGID (bridge supports GroupID)", 8, nil, 0x04),
    rrcap          = ProtoField.bool("splitnve.evb.rrcap", "RRCAP", 8, nil, 0x02),
    rrctr          = ProtoField.bool("splitnve.evb.rrctr", "RRCTR", 8, nil, 0x01),
    station_status = ProtoField.uint8("splitnve.evb.station_status", "Station status", base.HEX),
    sgid           = ProtoField.bool("splitnve.evb.sgid", "SGID (station wants GroupID)", 8, nil, 0x08),
    rrreq          = ProtoField.bool("splitnve.evb.rrreq", "RRREQ", 8, nil, 0x04),
    rrstat         = ProtoField.uint8("splitnve.evb.rrstat", "RRSTAT", base.DEC, RRSTAT_NAMES, 0x03),
    r              = ProtoField.uint8("splitnve.evb.r", "R (ECP max retries)", base.DEC, nil, 0xE0),
    rte            = ProtoField.uint8("splitnve.evb.rte", "RTE (ECP retransmission exponent)", base.DEC, nil, 0x1F),
    mode           = ProtoField.uint8("splitnve.evb.mode", "EVB mode", base.DEC, EVB_MODES, 0xC0),
    rol_rwd        = ProtoField.bool("splitnve.evb.rol_rwd", "ROL (remote RWD operating)", 8, nil, 0x20),
    rwd            = ProtoField.uint8("splitnve.evb.rwd", "RWD (resource wait exponent)", base.DEC, nil, 0x1F),
    rol_rka        = ProtoField.bool("splitnve.evb.rol_rka", "ROL (remote RKA operating)", 8, nil, 0x20),
    rka            = ProtoField.uint8("splitnve.evb.rka", "RKA (keep-alive exponent)", base.DEC, nil, 0x1F),
}
do
    local list = {}
    for _, f in pairs(fb) do list[#list + 1] = f end
    p_evb.fields = list
end

---------------------------------------------------------------------------------------------------
-- Expert info
---------------------------------------------------------------------------------------------------

local M, E, W, N = expert.group.MALFORMED, expert.severity.ERROR, expert.severity.WARN, expert.severity.NOTE
local P = expert.group.PROTOCOL

local xe = {
    short       = ProtoExpert.new("splitnve.ecp.short", "ECPDU shorter than its 4-octet header", M, E),
    version     = ProtoExpert.new("splitnve.ecp.bad_version", "Unknown ECP version (only 1 is defined; receivers drop it)", P, W),
    op          = ProtoExpert.new("splitnve.ecp.bad_op", "Undefined ECP operation (receivers drop it)", P, W),
    subtype     = ProtoExpert.new("splitnve.ecp.unknown_subtype", "Unknown ECP subtype (receivers drop it, no ack)", P, W),
    ack_payload = ProtoExpert.new("splitnve.ecp.ack_payload", "An ECP ack carries no payload, but non-zero octets follow", M, E),
    lua         = ProtoExpert.new("splitnve.ecp.internal", "splitnve dissector: internal error", M, E),
}
p_ecp.experts = { xe.short, xe.version, xe.op, xe.subtype, xe.ack_payload, xe.lua }

local xv = {
    empty          = ProtoExpert.new("splitnve.vdp.empty", "VDPDU has no room for the VSI Manager ID TLV", M, E),
    mgrid_first    = ProtoExpert.new("splitnve.vdp.mgrid_not_first", "A VDPDU starts with the VSI Manager ID TLV", M, E),
    mgrid_len      = ProtoExpert.new("splitnve.vdp.mgrid_length", "VSI Manager ID TLV length is not 16", M, E),
    mgrid_again    = ProtoExpert.new("splitnve.vdp.mgrid_repeated", "A second VSI Manager ID TLV (lldpad drops the PDU)", M, E),
    hdr_truncated  = ProtoExpert.new("splitnve.vdp.tlv_header_truncated", "Truncated TLV header", M, E),
    tlv_overrun    = ProtoExpert.new("splitnve.vdp.tlv_overrun", "TLV length past the end of the VDPDU", M, E),
    end_len        = ProtoExpert.new("splitnve.vdp.end_length", "End TLV with non-zero length", M, E),
    unknown_tlv    = ProtoExpert.new("splitnve.vdp.unknown_tlv", "Unknown VDP TLV type (skipped)", P, W),
    no_assoc       = ProtoExpert.new("splitnve.vdp.no_association", "VDPDU carries no association TLV", M, E),
    assoc_order    = ProtoExpert.new("splitnve.vdp.association_after_org", "Association TLV after an organizational TLV", M, E),
    org_first      = ProtoExpert.new("splitnve.vdp.org_before_association", "Organizational TLV before any association TLV", M, E),
    org_short      = ProtoExpert.new("splitnve.vdp.org_short", "Organizational TLV too short for OUI and subtype", M, E),
    assoc_short    = ProtoExpert.new("splitnve.vdp.association_short", "Association TLV value shorter than 25 octets", M, E),
    reserved_bit   = ProtoExpert.new("splitnve.vdp.status_reserved", "Reserved status bit 0x80 set", M, E),
    req_error      = ProtoExpert.new("splitnve.vdp.request_error_code", "A request carries an error code", M, E),
    m_and_s        = ProtoExpert.new("splitnve.vdp.m_and_s", "M and S both set with migration indication valid (error 1)", M, E),
    rsp_error      = ProtoExpert.new("splitnve.vdp.response_error", "Response reports an error", P, N),
    vsiid_format   = ProtoExpert.new("splitnve.vdp.unknown_vsiid_format", "Unknown VSI ID format", M, E),
    vsiid_ipv4     = ProtoExpert.new("splitnve.vdp.vsiid_ipv4_form", "An IPv4 VSI ID is carried as ::ffff:a.b.c.d", M, E),
    vsiid_mac      = ProtoExpert.new("splitnve.vdp.vsiid_mac_form", "A MAC VSI ID has ten zero octets before the address", M, E),
    filter_format  = ProtoExpert.new("splitnve.vdp.unknown_filter_format", "Unknown filter info format", M, E),
    no_entries     = ProtoExpert.new("splitnve.vdp.no_entries", "Filter info with no entries", M, E),
    count_overrun  = ProtoExpert.new("splitnve.vdp.entry_count_overrun", "Entry count overruns the TLV", M, E),
    entry_trunc    = ProtoExpert.new("splitnve.vdp.entry_truncated", "Filter entry truncated by the TLV length", M, E),
    after_entries  = ProtoExpert.new("splitnve.vdp.octets_after_entries", "Octets after the last entry", M, E),
    groupid_zero   = ProtoExpert.new("splitnve.vdp.groupid_zero", "GroupID 0 is invalid (error 5)", M, E),
    groupid_upper  = ProtoExpert.new("splitnve.vdp.groupid_upper", "GroupID upper octet set: NVO3 VNIs are 24 bits (error 5)", M, E),
    bad_mac        = ProtoExpert.new("splitnve.vdp.bad_mac", "MAC address is not a usable unicast address (error 5)", M, E),
    unknown_af     = ProtoExpert.new("splitnve.vdp.unknown_af", "Unknown address family (error 1)", M, E),
    bad_ip         = ProtoExpert.new("splitnve.vdp.bad_ip", "Unspecified, multicast or broadcast address (error 5)", M, E),
    vid_reserved   = ProtoExpert.new("splitnve.vdp.vid_reserved", "VID 4095 is reserved (error 5)", M, E),
    nonzero_pad    = ProtoExpert.new("splitnve.vdp.nonzero_padding", "Non-zero octet in the padding after the VDPDU", M, E),
}
do
    local list = {}
    for _, x in pairs(xv) do list[#list + 1] = x end
    p_vdp.experts = list
end

local xb = {
    length = ProtoExpert.new("splitnve.evb.bad_length", "EVB TLV length is not 9", M, E),
    mode   = ProtoExpert.new("splitnve.evb.bad_mode", "EVB mode is neither bridge (1) nor station (2)", P, W),
}
p_evb.experts = { xb.length, xb.mode }

---------------------------------------------------------------------------------------------------
-- Preferences: the project's code points (Java CodePoints registry, docs/PROTOCOL.md section 4)
---------------------------------------------------------------------------------------------------

p_vdp.prefs.fmt_groupid_ip_vid = Pref.uint("GroupID/IP/VID filter format code", 0x05,
    "Filter info format code of GroupID(4) AF(1) IP PS/PCP/VID (splitnve.codepoint.filter.groupIdIpVid; docs/PROTOCOL.md 4.1)")
p_vdp.prefs.fmt_groupid_mac_ip_vid = Pref.uint("GroupID/MAC/IP/VID filter format code", 0x06,
    "Filter info format code of GroupID(4) MAC(6) AF(1) IP PS/PCP/VID (splitnve.codepoint.filter.groupIdMacIpVid; docs/PROTOCOL.md 4.1)")
p_vdp.prefs.fmt_mac_ip_vid = Pref.uint("MAC/IP/VID filter format code", 0x07,
    "Filter info format code of MAC(6) AF(1) IP PS/PCP/VID (splitnve.codepoint.filter.macIpVid; docs/PROTOCOL.md 4.1)")
p_vdp.prefs.mi_valid_bit = Pref.uint("Migration-indication-valid status bit", 0x80,
    "Request status bit that makes M and S authoritative: 0x80, or 0 (any other value too) to treat the bit as reserved "
        .. "(splitnve.codepoint.status.migrationIndicationValid; docs/PROTOCOL.md 4.2)")

-- A filter format: name, and which fields each entry carries (the PS/PCP/VID word always ends it).
local function filter_format(code)
    local pr = p_vdp.prefs
    if code == 1 then return { name = "VID" } end
    if code == 2 then return { name = "MAC/VID", mac = true } end
    if code == 3 then return { name = "GroupID/VID", gid = true } end
    if code == 4 then return { name = "GroupID/MAC/VID", gid = true, mac = true } end
    if code == pr.fmt_groupid_ip_vid then return { name = "GroupID/IP/VID", gid = true, ip = true } end
    if code == pr.fmt_groupid_mac_ip_vid then return { name = "GroupID/MAC/IP/VID", gid = true, mac = true, ip = true } end
    if code == pr.fmt_mac_ip_vid then return { name = "MAC/IP/VID", mac = true, ip = true } end
    return nil
end

---------------------------------------------------------------------------------------------------
-- Helpers (every caller has checked the bounds)
---------------------------------------------------------------------------------------------------

local function hex(tvb, off, len)
    local t = {}
    for i = 0, len - 1 do t[#t + 1] = string.format("%02x", tvb(off + i, 1):uint()) end
    return table.concat(t)
end

local function all_zero(tvb, off, len)
    for i = 0, len - 1 do
        if tvb(off + i, 1):uint() ~= 0 then return false, off + i end
    end
    return true
end

local function mac_text(tvb, off)
    local t = {}
    for i = 0, 5 do t[#t + 1] = string.format("%02x", tvb(off + i, 1):uint()) end
    return table.concat(t, ":")
end

local function ipv4_text(tvb, off)
    return string.format("%d.%d.%d.%d", tvb(off, 1):uint(), tvb(off + 1, 1):uint(), tvb(off + 2, 1):uint(),
        tvb(off + 3, 1):uint())
end

-- RFC 5952, as the Java IpText writes it (mixed notation for IPv4-mapped addresses).
local function ipv6_text(tvb, off)
    local g = {}
    for i = 0, 7 do g[i] = tvb(off + 2 * i, 2):uint() end
    if g[0] == 0 and g[1] == 0 and g[2] == 0 and g[3] == 0 and g[4] == 0 and g[5] == 0xFFFF then
        return "::ffff:" .. ipv4_text(tvb, off + 12)
    end
    local best, bestlen, i = -1, 0, 0
    while i < 8 do
        if g[i] ~= 0 then
            i = i + 1
        else
            local j = i
            while j < 8 and g[j] == 0 do j = j + 1 end
            if j - i > bestlen then best, bestlen = i, j - i end
            i = j
        end
    end
    if bestlen < 2 then best = -1 end
    local s = ""
    i = 0
    while i < 8 do
        if i == best then
            s = s .. "::"
            i = i + bestlen
        else
            if #s > 0 and s:sub(-1) ~= ":" then s = s .. ":" end
            s = s .. string.format("%x", g[i])
            i = i + 1
        end
    end
    return s
end

-- Why an address may not stand in a filter entry (FilterEntry.invalidIpReason), or nil.
local function invalid_ip(tvb, off, len)
    if all_zero(tvb, off, len) then return "unspecified address" end
    local function v4(o)
        local a = tvb(o, 1):uint()
        if a >= 224 and a <= 239 then return "multicast address" end
        if tvb(o, 4):uint() == 0xFFFFFFFF then return "broadcast address" end
        return nil
    end
    if len == 4 then return v4(off) end
    if all_zero(tvb, off, 10) and tvb(off + 10, 2):uint() == 0xFFFF then
        local why = v4(off + 12)
        return why and ("IPv4-mapped " .. why) or nil
    end
    if tvb(off, 1):uint() == 0xFF then return "multicast address" end
    return nil
end

local function short_id(text)
    local digits = text:gsub("[^%x]", "")
    if #digits == 32 then return digits:sub(1, 4) .. "..." .. digits:sub(-4) end
    return text
end

---------------------------------------------------------------------------------------------------
-- VDP
---------------------------------------------------------------------------------------------------

-- Decodes one filter entry at q (value ends at vend); returns the next offset, or nil to stop.
local function dissect_entry(tvb, tree, ff, q, vend, idx, summary)
    local item = tree:add(fv.entry, tvb(q, math.min(vend, tvb:len()) - q))
    item:set_text("Entry " .. idx)
    local start = q
    local parts = {}
    local function need(n)
        if q + n > vend then
            item:add_proto_expert_info(xv.entry_trunc,
                string.format("Filter entry %d truncated by the TLV length: needs %d octets at offset %d, TLV ends at %d",
                    idx, n, q, vend))
            item:set_len(vend - start)
            return false
        end
        return true
    end
    if ff.gid then
        if not need(4) then return nil end
        local gid = tvb(q, 4):uint()
        local gi = item:add(fv.groupid, tvb(q, 4))
        if gid == 0 then
            gi:add_proto_expert_info(xv.groupid_zero)
        elseif gid > 0xFFFFFF then
            gi:add_proto_expert_info(xv.groupid_upper,
                string.format("GroupID 0x%08x has a non-zero upper octet: NVO3 VNIs are 24 bits (error 5)", gid))
        end
        parts[#parts + 1] = "VN " .. gid
        if summary.vn == nil then summary.vn = gid end
        q = q + 4
    end
    if ff.mac then
        if not need(6) then return nil end
        local mi = item:add(fv.mac, tvb(q, 6))
        local first = tvb(q, 1):uint()
        if band(first, 1) == 1 or all_zero(tvb, q, 6) then
            mi:add_proto_expert_info(xv.bad_mac, "MAC address " .. mac_text(tvb, q) .. " is not a usable unicast address (error 5)")
        end
        parts[#parts + 1] = "MAC " .. mac_text(tvb, q)
        q = q + 6
    end
    if ff.ip then
        if not need(1) then return nil end
        local af = tvb(q, 1):uint()
        local ai = item:add(fv.af, tvb(q, 1))
        local alen = (af == 1 and 4) or (af == 2 and 16) or nil
        if alen == nil then
            ai:add_proto_expert_info(xv.unknown_af, "Unknown address family " .. af .. " (error 1): the entries cannot be walked further")
            item:set_len(q + 1 - start)
            return nil
        end
        q = q + 1
        if not need(alen) then return nil end
        local ii
        if alen == 4 then
            ii = item:add(fv.ipv4, tvb(q, 4))
            parts[#parts + 1] = "IP " .. ipv4_text(tvb, q)
        else
            ii = item:add(fv.ipv6, tvb(q, 16))
            parts[#parts + 1] = "IP " .. ipv6_text(tvb, q)
        end
        local why = invalid_ip(tvb, q, alen)
        if why then ii:add_proto_expert_info(xv.bad_ip, why .. " in a filter entry (error 5)") end
        q = q + alen
    end
    if not need(2) then return nil end
    local word = tvb(q, 2):uint()
    local wi = item:add(fv.pspcpvid, tvb(q, 2))
    wi:add(fv.ps, tvb(q, 2))
    wi:add(fv.pcp, tvb(q, 2))
    local vi = wi:add(fv.vid, tvb(q, 2))
    local vid = band(word, 0x0FFF)
    if vid == 0x0FFF then vi:add_proto_expert_info(xv.vid_reserved) end
    if band(word, 0x8000) ~= 0 then parts[#parts + 1] = "PCP " .. rshift(band(word, 0x7000), 12) end
    parts[#parts + 1] = "VID " .. vid
    if summary.vid == nil then summary.vid = vid end
    q = q + 2
    item:set_len(q - start)
    item:append_text(": " .. table.concat(parts, "  "))
    return q
end

-- The association TLV value (types 1..4) at v, vend = v + TLV length (already within the tvb).
local function dissect_association(tvb, pinfo, tree, tlv_item, ttype, v, vend)
    local len = vend - v
    local summary = { text = TLV_NAMES[ttype] }
    if len < 25 then
        tlv_item:add_proto_expert_info(xv.assoc_short, TLV_NAMES[ttype] .. " TLV value of " .. len .. " octets is shorter than 25")
    end
    -- status
    if len < 1 then return summary end
    local s = tvb(v, 1):uint()
    local si = tree:add(fv.status, tvb(v, 1))
    -- 0x80 is the only status bit the standard leaves reserved (CodePoints accepts 0x80 or 0): any other
    -- preference value disables the extension.
    local mi_bit = p_vdp.prefs.mi_valid_bit == 0x80 and 0x80 or 0
    local mi = mi_bit ~= 0 and band(s, mi_bit) ~= 0
    local is_rsp = band(s, 0x40) ~= 0
    si:add(fv.response, tvb(v, 1), is_rsp)
    if mi_bit == 0 and band(s, 0x80) ~= 0 then
        si:add(fv.reserved, tvb(v, 1), true):add_proto_expert_info(xv.reserved_bit)
    else
        si:add(fv.mi_valid, tvb(v, 1), mi)
    end
    local flags = {}
    if mi then flags[#flags + 1] = "MI" end
    if not is_rsp then
        local m, sb = band(s, 0x10) ~= 0, band(s, 0x20) ~= 0
        si:add(fv.m, tvb(v, 1), m)
        si:add(fv.s, tvb(v, 1), sb)
        local ei = si:add(fv.error, tvb(v, 1), band(s, 0x0F))
        if band(s, 0x0F) ~= 0 then
            ei:add_proto_expert_info(xv.req_error, "A request carries error code " .. band(s, 0x0F) .. " (error 1)")
        end
        if mi and m and sb then si:add_proto_expert_info(xv.m_and_s) end
        if m then flags[#flags + 1] = "M" end
        if sb then flags[#flags + 1] = "S" end
        si:append_text(" (request" .. (#flags > 0 and (" " .. table.concat(flags, " ")) or "") .. ")")
    else
        local keep, hard, err = band(s, 0x20) ~= 0, band(s, 0x10) ~= 0, band(s, 0x0F)
        si:add(fv.keep, tvb(v, 1), keep)
        si:add(fv.hard_error, tvb(v, 1), hard)
        local ei = si:add(fv.error, tvb(v, 1), err)
        if err ~= 0 then
            ei:add_proto_expert_info(xv.rsp_error, "Response error " .. err .. ": " .. ERROR_NAMES[err])
        end
        summary.text = summary.text .. " rsp"
        if keep then flags[#flags + 1] = "keep" end
        if hard then flags[#flags + 1] = "hard-error" end
        if err ~= 0 then flags[#flags + 1] = "err " .. err end
        si:append_text(" (response" .. (#flags > 0 and (" " .. table.concat(flags, " ")) or "") .. ")")
        if keep or hard or err ~= 0 then
            summary.extra = table.concat(flags, " ", (mi and 2 or 1))
        end
    end
    if mi then summary.text = summary.text .. " MI" end
    if not is_rsp then
        if band(s, 0x10) ~= 0 then summary.text = summary.text .. " M" end
        if band(s, 0x20) ~= 0 then summary.text = summary.text .. " S" end
    end
    -- VSI type ID and version
    if len < 4 then return summary end
    tree:add(fv.vsi_type, tvb(v + 1, 3))
    if len < 5 then return summary end
    tree:add(fv.vsi_version, tvb(v + 4, 1))
    -- VSI ID
    if len < 6 then return summary end
    local idf = tvb(v + 5, 1):uint()
    local fi = tree:add(fv.vsiid_format, tvb(v + 5, 1))
    if VSIID_FORMATS[idf] == nil then
        fi:add_proto_expert_info(xv.vsiid_format, "Unknown VSI ID format " .. idf .. " (error 1)")
    end
    if len < 22 then return summary end
    local id = v + 6
    local text
    local sub = {}
    if idf == 1 then
        text = ipv4_text(tvb, id + 12)
        if not all_zero(tvb, id, 10) or tvb(id + 10, 2):uint() ~= 0xFFFF then
            sub.expert = xv.vsiid_ipv4
        end
        sub.field, sub.range = fv.vsiid_ipv4, tvb(id + 12, 4)
    elseif idf == 2 then
        text = ipv6_text(tvb, id)
        sub.field, sub.range = fv.vsiid_ipv6, tvb(id, 16)
    elseif idf == 3 then
        text = mac_text(tvb, id + 10)
        if not all_zero(tvb, id, 10) then sub.expert = xv.vsiid_mac end
        sub.field, sub.range = fv.vsiid_mac, tvb(id + 10, 6)
    elseif idf == 5 then
        local h = hex(tvb, id, 16)
        text = h:sub(1, 8) .. "-" .. h:sub(9, 12) .. "-" .. h:sub(13, 16) .. "-" .. h:sub(17, 20) .. "-" .. h:sub(21, 32)
    else
        text = hex(tvb, id, 16)
    end
    local vi = tree:add(fv.vsiid, tvb(id, 16), text)
    if idf == 1 then vi:append_text(" (::ffff:" .. text .. ")") end
    vi:add(fv.vsiid_raw, tvb(id, 16))
    if sub.field then vi:add(sub.field, sub.range) end
    if sub.expert then vi:add_proto_expert_info(sub.expert) end
    summary.text = summary.text .. " vsi " .. short_id(text)
    -- filter info
    if len < 23 then return summary end
    local code = tvb(v + 22, 1):uint()
    local ff = filter_format(code)
    local ffi = tree:add(fv.filter_format, tvb(v + 22, 1))
    if ff == nil then
        ffi:append_text(" (unknown)")
        ffi:add_proto_expert_info(xv.filter_format, "Unknown filter info format " .. code .. " (error 1)")
        if len > 23 then tree:add(fv.tlv_value, tvb(v + 23, len - 23)) end
        summary.bad = true
        return summary
    end
    ffi:append_text(" (" .. ff.name .. ")")
    if len < 25 then return summary end
    local count = tvb(v + 23, 2):uint()
    local ci = tree:add(fv.entries, tvb(v + 23, 2))
    if count == 0 then ci:add_proto_expert_info(xv.no_entries) end
    local q = v + 25
    for i = 1, count do
        if q >= vend then
            ci:add_proto_expert_info(xv.count_overrun,
                string.format("Entry count %d overruns the TLV after %d entries", count, i - 1))
            summary.bad = true
            return summary
        end
        q = dissect_entry(tvb, tree, ff, q, vend, i, summary)
        if q == nil then
            summary.bad = true
            return summary
        end
    end
    if q < vend then
        tree:add(fv.trailing, tvb(q, vend - q)):add_proto_expert_info(xv.after_entries,
            string.format("%d octets after the last of %d entries", vend - q, count))
    end
    return summary
end

local function dissect_vdp(tvb, pinfo, tree)
    local total = tvb:len()
    local root = tree:add(p_vdp, tvb())
    local infos = {}
    local malformed = false
    if total < 2 then
        root:add_proto_expert_info(xv.empty, "VDPDU of " .. total .. " octets has no room for the VSI Manager ID TLV")
        return "VDP (empty)"
    end
    local p = 0
    local index = 0
    local saw_org = false
    local mgr_seen = false
    local ended = false
    while p < total do
        if total - p == 1 then
            if tvb(p, 1):uint() ~= 0 then
                root:add(fv.trailing, tvb(p, 1)):add_proto_expert_info(xv.hdr_truncated)
                malformed = true
            else
                root:add(fv.padding, tvb(p, 1))
            end
            p = total
            break
        end
        local hdr = tvb(p, 2):uint()
        local ttype, len = rshift(hdr, 9), band(hdr, 0x1FF)
        if ttype == 0 and len == 0 then
            local ti = root:add(fv.tlv, tvb(p, 2))
            ti:set_text("End of VDPDU")
            ti:add(fv.tlv_type, tvb(p, 2))
            ti:add(fv.tlv_len, tvb(p, 2))
            p = p + 2
            ended = true
            break
        end
        local avail = math.min(len, total - p - 2)
        local ti = root:add(fv.tlv, tvb(p, 2 + avail))
        ti:set_text((TLV_NAMES[ttype] or ("Unknown TLV type " .. ttype)) .. " TLV")
        ti:add(fv.tlv_type, tvb(p, 2))
        ti:add(fv.tlv_len, tvb(p, 2))
        local v = p + 2
        if index == 0 and not mgr_seen and ttype ~= 5 then
            ti:add_proto_expert_info(xv.mgrid_first, "A VDPDU starts with the VSI Manager ID TLV, not type " .. ttype)
            malformed = true
        end
        if ttype == 0 then
            ti:add_proto_expert_info(xv.end_len, "End TLV with length " .. len)
            malformed = true
        end
        if avail < len then
            ti:add_proto_expert_info(xv.tlv_overrun,
                string.format("TLV type %d of %d octets overruns the VDPDU (%d octets left)", ttype, len, total - v))
            malformed = true
            if avail > 0 then ti:add(fv.trailing, tvb(v, avail)) end
            p = total
            break
        end
        if ttype == 0 then
            if len > 0 then ti:add(fv.tlv_value, tvb(v, len)) end
            p = v + len
            ended = true
            break
        elseif ttype == 5 then
            if mgr_seen or p ~= 0 then
                ti:add_proto_expert_info(xv.mgrid_again)
                malformed = true
            end
            mgr_seen = true
            if len ~= 16 then
                ti:add_proto_expert_info(xv.mgrid_len, "VSI Manager ID TLV length is " .. len .. ", not 16")
                malformed = true
                if len > 0 then ti:add(fv.mgrid, tvb(v, len)) end
            else
                ti:add(fv.mgrid, tvb(v, 16))
                -- lldpad's mgrid2 names: printable ASCII, zero-filled
                local n = 0
                while n < 16 and tvb(v + n, 1):uint() ~= 0 do n = n + 1 end
                local printable = n > 0 and all_zero(tvb, v + n, 16 - n)
                for i = 0, n - 1 do
                    local c = tvb(v + i, 1):uint()
                    if c < 0x20 or c > 0x7E then printable = false end
                end
                if printable then
                    local name = tvb(v, n):string()
                    ti:add(fv.mgrid_name, tvb(v, n), name)
                    ti:append_text(": \"" .. name .. "\"")
                else
                    ti:append_text(": " .. hex(tvb, v, 16))
                end
            end
        elseif ttype >= 1 and ttype <= 4 then
            if saw_org then
                ti:add_proto_expert_info(xv.assoc_order)
                malformed = true
            end
            index = index + 1
            local summary = dissect_association(tvb, pinfo, ti, ti, ttype, v, v + len)
            local line = summary.text
            if summary.vn then line = line .. " VN " .. summary.vn end
            if summary.vid then line = line .. " VID " .. summary.vid end
            if summary.extra then line = line .. " " .. summary.extra end
            if summary.bad then
                line = line .. " [malformed]"
                malformed = true
            end
            ti:append_text(": " .. line:gsub("^[^ ]+ ?", "", 1))
            infos[#infos + 1] = line
        elseif ttype == 127 then
            if index == 0 then
                ti:add_proto_expert_info(xv.org_first)
                malformed = true
            end
            saw_org = true
            if len < 4 then
                ti:add_proto_expert_info(xv.org_short, "Organizational TLV of " .. len .. " octets has no room for OUI and subtype")
                malformed = true
                if len > 0 then ti:add(fv.tlv_value, tvb(v, len)) end
            else
                ti:add(fv.org_oui, tvb(v, 3))
                ti:add(fv.org_subtype, tvb(v + 3, 1))
                if len > 4 then ti:add(fv.org_data, tvb(v + 4, len - 4)) end
            end
        else
            ti:add_proto_expert_info(xv.unknown_tlv, "Unknown VDP TLV type " .. ttype .. " (skipped, as lldpad does)")
            if len > 0 then ti:add(fv.tlv_value, tvb(v, len)) end
        end
        p = v + len
    end
    if p < total then
        local pi = root:add(fv.padding, tvb(p, total - p))
        local zero, at = all_zero(tvb, p, total - p)
        if not zero then
            pi:add_proto_expert_info(xv.nonzero_pad, "Non-zero octet in the padding after the VDPDU at offset " .. at)
            malformed = true
        end
    end
    if index == 0 then
        root:add_proto_expert_info(xv.no_assoc)
        malformed = true
    end
    local info = "VDP " .. (#infos > 0 and table.concat(infos, ", ") or "(no association)")
    if malformed and not info:find("%[malformed%]") then info = info .. " [malformed]" end
    root:append_text(": " .. info:sub(5))
    return info
end

---------------------------------------------------------------------------------------------------
-- ECP
---------------------------------------------------------------------------------------------------

-- The VDP summary for the ECP Info column, handed back by the VDP dissector of the same frame.
local vdp_info

function p_vdp.dissector(tvb, pinfo, tree)
    local ok, res = pcall(dissect_vdp, tvb, pinfo, tree)
    if ok then
        vdp_info = res
    else
        -- Defence in depth: the bounds checks should make this unreachable.
        vdp_info = "VDP [dissector error]"
        tree:add_proto_expert_info(xe.lua, "splitnve VDP dissector: internal error: " .. tostring(res))
    end
    return tvb:len()
end

local vdp_handle = p_vdp.dissector and Dissector.get("splitnve.vdp")

local function dissect_ecp(tvb, pinfo, tree)
    local total = tvb:len()
    pinfo.cols.protocol = "ECP"
    local root = tree:add(p_ecp, tvb())
    if total < 4 then
        root:add_proto_expert_info(xe.short, "ECPDU of " .. total .. " octets is shorter than its 4-octet header")
        pinfo.cols.info = "ECP [malformed: " .. total .. " octets]"
        return
    end
    local word = tvb(0, 2):uint()
    local version, op, subtype = rshift(word, 12), band(rshift(word, 10), 3), band(word, 0x3FF)
    local seq = tvb(2, 2):uint()
    local wi = root:add(fe.word, tvb(0, 2))
    local vi = wi:add(fe.version, tvb(0, 2))
    local oi = wi:add(fe.op, tvb(0, 2))
    local si = wi:add(fe.subtype, tvb(0, 2))
    root:add(fe.seq, tvb(2, 2))
    local opname = (op == 0 and "req") or (op == 1 and "ack") or ("op" .. op)
    root:append_text(string.format(": v%d %s, subtype %d (%s), seq %d", version, ECP_OPS[op] or "undefined", subtype,
        ECP_SUBTYPES[subtype] or "unknown", seq))
    local info = string.format("ECP %s seq %d", opname, seq)
    local rest = total - 4
    if version ~= 1 then
        vi:add_proto_expert_info(xe.version, "ECP version " .. version .. ", only 1 is defined (dropped, no ack)")
    end
    if op > 1 then
        oi:add_proto_expert_info(xe.op, "Undefined ECP operation " .. op .. " (dropped, no ack)")
    end
    if ECP_SUBTYPES[subtype] == nil then
        si:add_proto_expert_info(xe.subtype, "Unknown ECP subtype " .. subtype .. " (dropped, no ack)")
    end
    if version ~= 1 or op > 1 then
        if rest > 0 then root:add(fe.payload, tvb(4, rest)) end
        pinfo.cols.info = info .. " [not decoded: " .. (version ~= 1 and ("version " .. version) or ("operation " .. op)) .. "]"
        return
    end
    if op == 1 then
        if rest > 0 then
            local pi = root:add(fe.padding, tvb(4, rest))
            local zero, at = all_zero(tvb, 4, rest)
            if not zero then
                pi:add_proto_expert_info(xe.ack_payload, "An ECP ack carries no payload, but octet " .. (at + 14) .. " of the frame is non-zero")
                info = info .. " [malformed]"
            end
        end
        pinfo.cols.info = info
        return
    end
    if subtype == 1 then
        pinfo.cols.protocol = "VDP"
        -- Called as a dissector so that splitnve.vdp appears in frame.protocols.
        vdp_info = nil
        vdp_handle:call(tvb(4, rest):tvb(), pinfo, tree)
        info = info .. " " .. (vdp_info or "VDP")
    elseif rest > 0 then
        root:add(fe.payload, tvb(4, rest))
        info = info .. " " .. (ECP_SUBTYPES[subtype] or ("subtype " .. subtype))
    end
    pinfo.cols.info = info
end

function p_ecp.dissector(tvb, pinfo, tree)
    local ok, err = pcall(dissect_ecp, tvb, pinfo, tree)
    if not ok then
        -- Defence in depth: the bounds checks above should make this unreachable.
        tree:add_proto_expert_info(xe.lua, "splitnve dissector: internal error: " .. tostring(err))
    end
    return tvb:len()
end

-- Replaces Wireshark's built-in ECP dissector (802.1Qbg draft 2.1) for this EtherType.
DissectorTable.get("ethertype"):add(0x8940, p_ecp)

---------------------------------------------------------------------------------------------------
-- EVB TLV in LLDP, as a post-dissector: Wireshark 4.0's LLDP dissector reads the EVB TLV wrongly
---------------------------------------------------------------------------------------------------

local f_eth_type = Field.new("eth.type")
local f_vlan_etype = Field.new("vlan.etype")
local f_sll_etype = Field.new("sll.etype")

-- Frame offset of the LLDPDU, or nil when the frame carries none (EtherType 0x88CC).
local function lldp_offset(tvb)
    local best
    for _, fld in ipairs({ f_eth_type, f_vlan_etype, f_sll_etype }) do
        for _, fi in ipairs({ fld() }) do
            if fi.value == 0x88CC and fi.offset ~= nil then
                local o = fi.offset + 2
                if best == nil or o > best then best = o end
            end
        end
    end
    if best == nil or best > tvb:len() then return nil end
    return best
end

local function dissect_evb_tlv(tvb, pinfo, tree, p, len)
    local v = p + 2
    local root = tree:add(p_evb, tvb(p, 2 + len))
    root:add(fb.tlv_len, tvb(p, 2))
    root:add(fb.oui, tvb(v, 3))
    root:add(fb.subtype, tvb(v + 3, 1))
    if len ~= 9 then
        root:add_proto_expert_info(xb.length, "EVB TLV length is " .. len .. ", not 9")
        return
    end
    local d = v + 4
    local bi = root:add(fb.bridge_status, tvb(d, 1))
    bi:add(fb.bgid, tvb(d, 1))
    bi:add(fb.rrcap, tvb(d, 1))
    bi:add(fb.rrctr, tvb(d, 1))
    local st = root:add(fb.station_status, tvb(d + 1, 1))
    st:add(fb.sgid, tvb(d + 1, 1))
    st:add(fb.rrreq, tvb(d + 1, 1))
    st:add(fb.rrstat, tvb(d + 1, 1))
    root:add(fb.r, tvb(d + 2, 1))
    root:add(fb.rte, tvb(d + 2, 1))
    local mi = root:add(fb.mode, tvb(d + 3, 1))
    root:add(fb.rol_rwd, tvb(d + 3, 1))
    root:add(fb.rwd, tvb(d + 3, 1))
    root:add(fb.rol_rka, tvb(d + 4, 1))
    root:add(fb.rka, tvb(d + 4, 1))
    local r_rte, m_rwd, rka = tvb(d + 2, 1):uint(), tvb(d + 3, 1):uint(), tvb(d + 4, 1):uint()
    local mode = rshift(m_rwd, 6)
    if mode ~= 1 and mode ~= 2 then mi:add_proto_expert_info(xb.mode) end
    local text = string.format("EVB %s R%d RTE%d RWD%d RKA%d", EVB_MODES[mode], rshift(r_rte, 5), band(r_rte, 0x1F),
        band(m_rwd, 0x1F), band(rka, 0x1F))
    local b, s = tvb(d, 1):uint(), tvb(d + 1, 1):uint()
    if band(b, 0x04) ~= 0 then text = text .. " BGID" end
    if band(s, 0x08) ~= 0 then text = text .. " SGID" end
    root:append_text(": " .. text:sub(5))
    pinfo.cols.info:append("  " .. text)
end

local function dissect_evb(tvb, pinfo, tree)
    local p = lldp_offset(tvb)
    if p == nil then return end
    local total = tvb:len()
    while p + 2 <= total do
        local hdr = tvb(p, 2):uint()
        local ttype, len = rshift(hdr, 9), band(hdr, 0x1FF)
        if ttype == 0 then break end
        if p + 2 + len > total then break end -- the LLDP dissector reports this one
        if ttype == 127 and len >= 4 and tvb(p + 2, 3):uint() == 0x0080C2 and tvb(p + 5, 1):uint() == 0x0D then
            dissect_evb_tlv(tvb, pinfo, tree, p, len)
        end
        p = p + 2 + len
    end
end

function p_evb.dissector(tvb, pinfo, tree)
    local ok, err = pcall(dissect_evb, tvb, pinfo, tree)
    if not ok then
        tree:add_proto_expert_info(xe.lua, "splitnve EVB dissector: internal error: " .. tostring(err))
    end
end

register_postdissector(p_evb)
