-- SPDX-License-Identifier: BSD-3-Clause
-- sflow_sample: a Wireshark post-dissector that turns the sample metadata
-- sflow-extcap writes into each packet's comment ("sflow_sample agent=...
-- in_ifindex=7 ... rate=1000 ...", see sflow-extcap(1), CARRIER) into typed
-- fields: filters (sflow_sample.agent == 10.0.0.0/8), columns, and
-- statistics in wire units (SUM(sflow_sample.est_bytes)). Packets without
-- such a comment are left alone. Installed in Wireshark's global Lua
-- plugin directory (tshark -G folders: "Global Lua Plugins").

local proto = Proto("sflow_sample", "sFlow sample context")

-- sFlow's drop_reason codes, named as "sFlow Dropped Packet Notification
-- Structures" (sflow.org, October 2020) names them; the same table as
-- tcpdump/drop_reasons.c (tests/e2e_wsfields.sh checks they agree).
local drop_reasons = {
	[0] = "net_unreachable", [1] = "host_unreachable", [2] = "protocol_unreachable",
	[3] = "port_unreachable", [4] = "frag_needed", [5] = "src_route_failed",
	[6] = "dst_net_unknown", [7] = "dst_host_unknown", [8] = "src_host_isolated",
	[9] = "dst_net_prohibited", [10] = "dst_host_prohibited",
	[11] = "dst_net_tos_unreachable", [12] = "dst_host_tos_unreacheable",
	[13] = "comm_admin_prohibited", [14] = "host_precedence_violation",
	[15] = "precedence_cutoff",
	[256] = "unknown", [257] = "ttl_exceeded", [258] = "acl", [259] = "no_buffer_space",
	[260] = "red", [261] = "traffic_shaping", [262] = "pkt_too_big",
	[263] = "src_mac_is_multicast", [264] = "vlan_tag_mismatch",
	[265] = "ingress_vlan_filter", [266] = "ingress_spanning_tree_filter",
	[267] = "port_list_is_empty", [268] = "port_loopback_filter",
	[269] = "blackhole_route", [270] = "non_ip", [271] = "uc_dip_over_mc_dmac",
	[272] = "dip_is_loopback_address", [273] = "sip_is_mc",
	[274] = "sip_is_loopback_address", [275] = "ip_header_corrupted",
	[276] = "ipv4_sip_is_limited_bc", [277] = "ipv6_mc_dip_reserved_scope",
	[278] = "ipv6_mc_dip_interface_local_scope", [279] = "unresolved_neigh",
	[280] = "mc_reverse_path_forwarding", [281] = "non_routable_packet",
	[282] = "decap_error", [283] = "overlay_smac_is_mc", [284] = "unknown_l2",
	[285] = "unknown_l3", [286] = "unknown_l3_exception", [287] = "unknown_buffer",
	[288] = "unknown_tunnel", [289] = "unknown_l4", [290] = "sip_is_unspecified",
	[291] = "mlag_port_isolation", [292] = "blackhole_arp_neigh",
	[293] = "src_mac_is_dmac", [294] = "dmac_is_reserved", [295] = "sip_is_class_e",
	[296] = "mc_dmac_mismatch", [297] = "sip_is_dip", [298] = "dip_is_local_network",
	[299] = "dip_is_link_local", [300] = "overlay_smac_is_dmac",
	[301] = "egress_vlan_filter", [302] = "uc_reverse_path_forwarding",
	[303] = "split_horizon",
}

local source_classes = {
	[0] = "ifIndex", [1] = "VLAN", [2] = "physical entity", [3] = "logical entity",
}

local f = proto.fields
f.agent = ProtoField.ipv4("sflow_sample.agent", "Agent")
f.agent_ipv6 = ProtoField.ipv6("sflow_sample.agent_ipv6", "Agent (IPv6)")
f.sub_agent = ProtoField.uint32("sflow_sample.sub_agent", "Sub-agent")
f.source_class = ProtoField.uint32("sflow_sample.source_class", "Data source class", base.DEC,
	source_classes)
f.source_index = ProtoField.uint32("sflow_sample.source_index", "Data source index")
f.in_ifindex = ProtoField.uint32("sflow_sample.in_ifindex", "Input interface")
f.out_ifindex = ProtoField.uint32("sflow_sample.out_ifindex", "Output interface")
f.in_format = ProtoField.uint32("sflow_sample.in_format", "Input interface format")
f.out_format = ProtoField.uint32("sflow_sample.out_format", "Output interface format")
f.direction = ProtoField.string("sflow_sample.direction", "Direction")
f.rate = ProtoField.uint32("sflow_sample.rate", "Sampling rate (1 in N)")
f.pool = ProtoField.uint32("sflow_sample.pool", "Sample pool")
f.seq = ProtoField.uint32("sflow_sample.seq", "Sample sequence number")
f.drops = ProtoField.uint32("sflow_sample.drops", "Drops (agent's counter)")
f.discard_reason = ProtoField.uint32("sflow_sample.discard_reason", "Discard reason", base.DEC,
	drop_reasons)
f.est_packets = ProtoField.uint64("sflow_sample.est_packets", "Estimated packets on the wire")
f.est_bytes = ProtoField.uint64("sflow_sample.est_bytes", "Estimated bytes on the wire")

local comment_field = Field.new("frame.comment")
local PREFIX = "sflow_sample "
local INTERNAL = 0x3FFFFFFF

-- What an interface value means, as sFlow version 5 defines its formats.
local function interface_text(format, value)
	if format == 0 then
		if value == 0 then return "unknown" end
		if value == INTERNAL then return "internal: the device itself" end
		return "ifIndex " .. value
	elseif format == 1 then
		return "packet discarded, reason " .. value ..
			(drop_reasons[value] and (" (" .. drop_reasons[value] .. ")") or "")
	elseif format == 2 then
		if value == 0 then return "several interfaces, number unknown" end
		return value .. " interfaces"
	end
	return "format " .. format .. ", value " .. value
end

local function ipv4_text(text)
	local a, b, c, d = text:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
	return a and tonumber(a) < 256 and tonumber(b) < 256 and tonumber(c) < 256 and
		tonumber(d) < 256
end

local function parse(text)
	local values = {}
	for key, value in text:gmatch("(%S+)=(%S+)") do
		values[key] = value
	end
	return values
end

function proto.dissector(tvb, pinfo, tree)
	local comments = { comment_field() }
	for _, comment in ipairs(comments) do
		local text = comment.value
		if text and text:sub(1, #PREFIX) == PREFIX then
			local v = parse(text)
			local range = tvb(0, 0)
			local item = tree:add(proto, range)
			local summary = {}

			-- A comment can be edited by hand: take only well-formed values.
			if v.agent and v.agent:match("^[%x:]+:[%x:.]*$") then
				item:add(f.agent_ipv6, range, Address.ipv6(v.agent))
			elseif v.agent and ipv4_text(v.agent) then
				item:add(f.agent, range, Address.ip(v.agent))
			end
			summary[#summary + 1] = "agent " .. (v.agent or "unknown")
			local function number(key)
				local n = tonumber((v[key] or ""):match("^%d+$") or "")
				if n and n <= 0xFFFFFFFF then return n end
			end
			local function add_number(field, key)
				local n = number(key)
				if n then return item:add(field, range, n), n end
			end
			add_number(f.sub_agent, "sub_agent")
			local _, class = add_number(f.source_class, "source_class")
			local _, index = add_number(f.source_index, "source_index")
			if class and index then
				summary[#summary + 1] = (source_classes[class] or ("class " .. class)) .. " " .. index
			end
			local in_format, out_format = number("in_format") or 0, number("out_format") or 0
			local in_item, in_value = add_number(f.in_ifindex, "in_ifindex")
			if in_item then in_item:append_text(" (" .. interface_text(in_format, in_value) .. ")") end
			local out_item, out_value = add_number(f.out_ifindex, "out_ifindex")
			if out_item then out_item:append_text(" (" .. interface_text(out_format, out_value) .. ")") end
			if v.in_format then add_number(f.in_format, "in_format") end
			if v.out_format then add_number(f.out_format, "out_format") end
			if v.direction then
				item:add(f.direction, range, v.direction)
				summary[#summary + 1] = v.direction
			end
			local _, rate = add_number(f.rate, "rate")
			add_number(f.pool, "pool")
			add_number(f.seq, "seq")
			add_number(f.drops, "drops")

			-- A discard sample, or a flow sample whose output format 1
			-- says the packet was discarded: the reason, named.
			local reason = v.discard_reason and tonumber(v.discard_reason:match("^%d+") or "")
			if reason and reason > 0xFFFFFFFF then reason = nil end
			if not reason and out_format == 1 then reason = out_value end
			if reason then
				item:add(f.discard_reason, range, reason)
				summary[#summary + 1] = "discarded: " .. (drop_reasons[reason] or tostring(reason))
			end
			-- Wire units: a sample stands for rate packets of its length.
			-- Discard samples have no sampling rate (0): no estimate.
			if rate and rate > 0 then
				summary[#summary + 1] = "1 in " .. rate
				item:add(f.est_packets, range, UInt64(rate)):set_generated()
				item:add(f.est_bytes, range, UInt64(rate) * pinfo.len):set_generated()
			end
			item:append_text(": " .. table.concat(summary, ", "))
		end
	end
end

register_postdissector(proto)
