using Grantex.Testing;

namespace Grantex.Api.Tests.Sso;

/// <summary>The app on the TestServer, allowed to reach an identity provider on http://localhost (development switches).</summary>
public sealed class SsoApp : IAsyncLifetime
{
    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions
    {
        Settings = new Dictionary<string, string?>
        {
            ["Grantex:Sso:AllowHttpIssuers"] = "true",
            ["Grantex:Sso:AllowPrivateNetworks"] = "true",
        },
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
