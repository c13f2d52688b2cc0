using System.Net;
using Grantex.Core.Keys;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests;

public sealed class KeyRotationTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task after_rotation_the_new_key_signs_and_the_old_one_stays_published_while_its_tokens_live()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var before = (string)(await api.GrantAsync(agent))["grantToken"]!;
        var store = factory.Services.GetRequiredService<SigningKeyStore>();

        var rotated = await store.RotateAsync();
        var after = (string)(await api.GrantAsync(agent))["grantToken"]!;
        Assert.NotEqual(Kid(before), Kid(after));
        Assert.Equal(rotated.Id, Kid(after));

        var jwks = await ApiClient.ExpectAsync(await factory.CreateClient().GetAsync("/.well-known/jwks.json"), HttpStatusCode.OK);
        var kids = jwks["keys"]!.AsArray().Select(k => (string)k!["kid"]!).ToList();
        Assert.Contains(Kid(before), kids);
        Assert.Contains(Kid(after), kids);
        Assert.True(await api.VerifyAsync(before));
        Assert.True(await api.VerifyAsync(after));

        Assert.Equal(0, await store.RetireExpiredAsync(TimeSpan.Zero));
        Assert.Contains(Kid(before), store.Published.Keys);
        var listed = await store.ListAsync();
        Assert.Equal("verifying", listed.Single(k => k.Id == Kid(before)).Status);
        Assert.Equal("signing", listed.Single(k => k.Id == Kid(after)).Status);
    }

    private static string Kid(string jwt)
    {
        var header = jwt.Split('.')[0];
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.PadRight(header.Length + ((4 - (header.Length % 4)) % 4), '=').Replace('-', '+').Replace('_', '/')));
        return (string)System.Text.Json.Nodes.JsonNode.Parse(json)!["kid"]!;
    }
}
