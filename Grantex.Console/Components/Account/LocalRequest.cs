using System.Net;

namespace Grantex.Console.Components.Account;

/// <summary>
/// "From the server itself": a loopback client address, a localhost Host header, and no forwarding headers (a
/// reverse proxy on the same machine makes every remote client look like loopback; it adds those headers).
/// </summary>
public static class LocalRequest
{
    public static bool IsLocal(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            return false;
        }

        var headers = context.Request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded") || headers.ContainsKey("X-Real-IP"))
        {
            return false;
        }

        var host = context.Request.Host.Host;
        return host is "localhost" or "127.0.0.1" or "[::1]" or "::1";
    }
}
