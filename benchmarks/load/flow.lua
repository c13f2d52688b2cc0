-- wrk script: the full sandbox flow, POST /v1/authorize then POST /v1/token with the code it returned.
-- Env: GRANTEX_KEY (sandbox API key), GRANTEX_AGENT (agent id), GRANTEX_PRINCIPALS (distinct principals, default 1000).
-- One Lua state per wrk thread, shared by its connections: codes from authorize answers wait in a queue, and each
-- connection's next request exchanges a waiting code when there is one, else starts a new flow. A flow counts when its
-- token answer is 201 with a grantToken; anything else counts as an error (printed at the end).
local key = os.getenv("GRANTEX_KEY")
local agent = os.getenv("GRANTEX_AGENT")
local principals = tonumber(os.getenv("GRANTEX_PRINCIPALS") or "1000")
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  codes, head, tail = {}, 1, 0
  n, flows, authorized, errors = 0, 0, 0, 0
  firsterror = ""
end

function request()
  if head <= tail then
    local code = codes[head]
    codes[head] = nil
    head = head + 1
    return wrk.format("POST", "/v1/token", headers, '{"code":"' .. code .. '","agentId":"' .. agent .. '"}')
  end
  n = n + 1
  local body = '{"agentId":"' .. agent .. '","principalId":"user_' .. (n % principals) .. '","scopes":["read","write"]}'
  return wrk.format("POST", "/v1/authorize", headers, body)
end

function response(status, hdrs, body)
  if status == 201 then
    if string.find(body, '"grantToken"', 1, true) then
      flows = flows + 1
      return
    end
    local code = string.match(body, '"code":"([^"]+)"')
    if code then
      authorized = authorized + 1
      tail = tail + 1
      codes[tail] = code
      return
    end
  end
  errors = errors + 1
  if firsterror == "" then firsterror = status .. " " .. string.sub(body, 1, 200) end
end

function done(summary, latency, requests)
  local f, a, e = 0, 0, 0
  local first = ""
  for _, t in ipairs(threads) do
    f = f + t:get("flows"); a = a + t:get("authorized"); e = e + t:get("errors")
    if first == "" then first = t:get("firsterror") end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("FLOWS %d AUTHORIZED %d ERRORS %d SECONDS %.3f FLOWS_PER_S %.1f\n", f, a, e, seconds, f / seconds))
  if e > 0 then io.write("FIRST_ERROR " .. first .. "\n") end
end
