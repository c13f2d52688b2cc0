-- wrk script: POST /v1/tokens/verify with a fixed grant token (GRANTEX_TOKEN) and API key (GRANTEX_KEY).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GRANTEX_KEY")
wrk.body = '{"token":"' .. os.getenv("GRANTEX_TOKEN") .. '"}'
