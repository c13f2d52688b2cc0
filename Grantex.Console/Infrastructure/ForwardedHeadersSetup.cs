using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Grantex.Console.Infrastructure;

/// <summary>
/// <c>Grantex:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
/// believed (client address for rate limits and the audit log; https for <c>Secure</c> cookies). Off unless at least one
/// proxy or network is listed: a header from anyone else is ignored, so a client cannot claim another address or scheme.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Grantex:ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>127.0.0.1</c>, <c>::1</c>, <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

public static class ForwardedHeadersSetup
{
    /// <summary>Call first in the pipeline: everything after sees the client's address and scheme.</summary>
    public static WebApplication UseGrantexForwardedHeaders(this WebApplication app)
    {
        var settings = app.Configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        if (!settings.Enabled)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        // The defaults trust loopback; only what is configured counts.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in settings.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in settings.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}
