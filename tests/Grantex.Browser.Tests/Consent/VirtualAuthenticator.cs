using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>A CTAP2 platform authenticator that verifies the user and approves every prompt (Chromium's WebAuthn domain over CDP).</summary>
internal static class VirtualAuthenticator
{
    public static async Task<ICDPSession> AddAsync(IBrowserContext context, IPage page)
    {
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return cdp;
    }
}
