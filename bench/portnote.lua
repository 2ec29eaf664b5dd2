-- portnote.lua: the yardstick for bench/run.sh.  The same job as portnote.so
-- (tag each documented transport port with its service and risk), written
-- the way a Wireshark user would script it: a Lua post-dissector that reads
-- the port fields and looks the ports up in a table loaded from the same
-- data/portnotes.csv.  Run with: tshark -X lua_script:bench/portnote.lua
--   (PORTNOTE_CSV=path/to/portnotes.csv selects the notes file)

local luanote = Proto("luanote", "Port notes (Lua)")
local risk_names = { [1] = "low", [2] = "medium", [3] = "high", [4] = "critical" }
local risk_levels = { low = 1, medium = 2, high = 3, critical = 4 }

local f_port = ProtoField.uint16("luanote.port", "Port")
local f_transport = ProtoField.string("luanote.transport", "Transport")
local f_service = ProtoField.string("luanote.service", "Service")
local f_risk = ProtoField.uint8("luanote.risk", "Risk", base.DEC, risk_names)
local f_note = ProtoField.string("luanote.note", "Note")
luanote.fields = { f_port, f_transport, f_service, f_risk, f_note }

local ports = {
    tcp = { Field.new("tcp.srcport"), Field.new("tcp.dstport") },
    udp = { Field.new("udp.srcport"), Field.new("udp.dstport") },
    sctp = { Field.new("sctp.srcport"), Field.new("sctp.dstport") },
}

-- notes[transport][port] = { service, risk, note }
local notes = { tcp = {}, udp = {}, sctp = {} }
local function load_notes(path)
    for line in io.lines(path) do
        if line:sub(1, 1) == '"' then
            local f = {}
            for value in line:gmatch('"(.-)"') do f[#f + 1] = value end
            local first, last = f[1]:match("^(%d+)-?(%d*)$")
            local role = f[3]
            if first and notes[f[2]] and role ~= "client" and role ~= "ignore" then
                for p = tonumber(first), tonumber(last ~= "" and last or first) do
                    notes[f[2]][p] = { service = f[4], risk = risk_levels[f[5]], note = f[9] }
                end
            end
        end
    end
end
load_notes(os.getenv("PORTNOTE_CSV") or "data/portnotes.csv")

function luanote.dissector(tvb, pinfo, tree)
    for transport, fields in pairs(ports) do
        local srcs, dsts = { fields[1]() }, { fields[2]() }
        for i = 1, #srcs do
            for _, field in ipairs({ srcs[i], dsts[i] }) do
                local entry = field and notes[transport][field.value]
                if entry then
                    local t = tree:add(luanote, "Port Notes: " .. field.value .. "/" .. transport
                                       .. " " .. entry.service)
                    t:add(f_port, field.value)
                    t:add(f_transport, transport)
                    t:add(f_service, entry.service)
                    if entry.risk then
                        t:add(f_risk, entry.risk)
                        t:add(f_note, entry.note)
                    end
                end
            end
        end
    end
end

register_postdissector(luanote)
