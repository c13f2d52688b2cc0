using System.IO.Compression;
using Grantex.Console.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>A compliance pack from the console, verified by someone who has only the server's JWKS.</summary>
[Collection(ComplianceBrowserCollection.Name)]
public sealed class CompliancePageTests(ComplianceAppFixture app)
{
    [Fact]
    public async Task an_audit_pack_downloaded_from_the_console_verifies_offline_and_a_tampered_copy_does_not()
    {
        // A developer's history: an agent, a grant, a delegation, a revocation, logged actions.
        var created = await app.Services.GetRequiredService<Grantex.Core.Developers.DeveloperService>().CreateAsync("Acme Travel", Grantex.Core.Developers.DeveloperMode.Sandbox);
        var developerId = created.Value!.Developer.Id;
        using (var api = new GrantexApi(app.BaseUrl, created.Value.ApiKey))
        {
            var planner = await api.CreateAgentAsync("Trip planner", "calendar:read");
            var (_, token) = await api.GrantAsync(planner, "alice", "calendar:read");
            await api.DelegateAsync(token, planner, "calendar:read");
        }

        // The first administrator, with a passkey, then the Compliance page for that developer.
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AddVirtualAuthenticatorAsync(context, page);
        await page.GotoAsync("/compliance");
        Assert.EndsWith("/account/setup", page.Url);
        await FillSetupCodeAsync(page, app.DataDirectory);
        await page.GetByLabel("User name").FillAsync("olga");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create with a passkey" }).ClickAsync();
        await LeftAccountPagesAsync(page);
        await OpenAsync(page, $"/compliance?dev={developerId}");
        await Assertions.Expect(page.GetByTestId("compliance-chain-intact")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-card=grants]")).ToContainTextAsync("2");

        await page.GetByTestId("sign-checkpoint").ClickAsync();
        await Assertions.Expect(page.Locator("[data-checkpoint]")).ToHaveCountAsync(1);
        await BrowserAppFixture.ScreenshotAsync(page, "compliance-1-page");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-audit-pack").ClickAsync());
        var pack = Path.Combine(app.DataDirectory, "pack.zip");
        await download.SaveAsAsync(pack);
        await Assertions.Expect(page.GetByTestId("download-done")).ToContainTextAsync("audit-pack verify");
        await BrowserAppFixture.ScreenshotAsync(page, "compliance-2-downloaded");

        // Someone with only the JWKS checks it.
        var jwks = Path.Combine(app.DataDirectory, "jwks.json");
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            await File.WriteAllTextAsync(jwks, await http.GetStringAsync("/.well-known/jwks.json"));
        }

        var output = new StringWriter();
        var exit = await CliRunner.RunAsync(app.Services, ["audit-pack", "verify", pack, "--jwks", jwks], output, new StringWriter());
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("INTACT", output.ToString());

        // A copy with one audit entry changed is caught and named.
        var tampered = Path.Combine(app.DataDirectory, "tampered.zip");
        File.Copy(pack, tampered);
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("audit-entries.jsonl")!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
            {
                text = await reader.ReadToEndAsync();
            }

            entry.Delete();
            var forged = zip.CreateEntry("audit-entries.jsonl");
            await using var writer = new StreamWriter(forged.Open());
            await writer.WriteAsync(text.Replace("\"principalId\":\"alice\"", "\"principalId\":\"mallory\"", StringComparison.Ordinal));
        }

        output = new StringWriter();
        Assert.Equal(1, await CliRunner.RunAsync(app.Services, ["audit-pack", "verify", tampered, "--jwks", jwks], output, new StringWriter()));
        Assert.Contains("TAMPERED", output.ToString());
    }

    [Fact]
    public async Task downloads_need_a_signed_in_compliance_officer_or_administrator()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        var response = await http.GetAsync("/console/compliance/audit-pack?dev=dev_x");
        Assert.NotEqual("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.True((int)response.StatusCode is 302 or 401 or 403, response.StatusCode.ToString());
    }
}

/// <summary>The compliance page test starts from a fresh database (first-administrator setup).</summary>
[CollectionDefinition(Name)]
public sealed class ComplianceBrowserCollection : ICollectionFixture<ComplianceAppFixture>
{
    public const string Name = "compliance-browser";
}

/// <summary>A separate app instance (own port, SQLite file and Chromium) for the compliance page test.</summary>
public sealed class ComplianceAppFixture : BrowserAppFixture;
