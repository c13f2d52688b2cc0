using System.Text.Json;
using Grantex.Compliance.Tests.Infrastructure;
using Grantex.Core.Audit;
using Grantex.Core.Compliance;
using Grantex.Core.IO;
using Grantex.Core.Policies;
using Grantex.Testing;

namespace Grantex.Compliance.Tests;

/// <summary>What an audit pack holds, how its entries carry the hashed form, and that an untouched pack verifies.</summary>
public sealed class AuditPackTests(CoreHost host) : IClassFixture<CoreHost>
{
    private CoreHost Host => host;

    [Fact]
    public async Task a_pack_holds_every_file_listed_with_its_digest_and_a_manifest_signed_by_the_server_key()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.CreateGrantAsync(dev);
        await Host.LogAsync(dev, 5);

        var pack = await Host.PackAsync(dev);

        var names = PackEditor.Files(pack).Select(f => f.Name).ToList();
        Assert.Equal(
            ["audit-entries.jsonl", "grants.jsonl", "agents.jsonl", "policies.json", "checkpoints.jsonl", "verification.json", "jwks.json", "manifest.json", "manifest.jws"],
            names);
        using var manifest = JsonDocument.Parse(PackEditor.Text(pack, "manifest.json"));
        Assert.Equal(dev.Developer.Id, manifest.RootElement.GetProperty("developerId").GetString());
        Assert.Equal(JsonValueKind.Null, manifest.RootElement.GetProperty("filters").GetProperty("since").ValueKind);
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(AuditPackFormat.ContentFiles.Order(), listed.Order());
        Assert.Equal("[]\n", PackEditor.Text(pack, "policies.json"));
        Assert.Single(PackEditor.Lines(pack, "grants.jsonl"));
        Assert.Single(PackEditor.Lines(pack, "agents.jsonl"));

        var verdict = await PackEditor.VerifyAsync(pack, Host.Jwks());

        Assert.True(verdict.Intact, verdict.Summary);
        Assert.False(verdict.KeysFromPack);
        Assert.Contains(verdict.Passed, p => p.StartsWith("manifest.jws: RS256 signature valid", StringComparison.Ordinal));
        Assert.Equal("INTACT", verdict.Summary);
    }

    [Fact]
    public async Task a_pack_holds_the_developers_policies_covered_by_the_signed_manifest()
    {
        var dev = await Host.CreateDeveloperAsync();
        var stranger = await Host.CreateDeveloperAsync("Stranger");
        var policies = Host.Get<PolicyService>();
        CoreHost.Ok(await policies.CreateAsync(dev.Developer.Id, new PolicyInput { Name = "Reads are fine", Effect = "allow", Scopes = Settable<IReadOnlyList<string?>>.To(["read"]) }, dev.Actor));
        CoreHost.Ok(await policies.CreateAsync(dev.Developer.Id, new PolicyInput
        {
            Name = "No nights", Effect = "deny", Priority = 5, TimeOfDayStart = Settable<string>.To("22:00"), TimeOfDayEnd = Settable<string>.To("06:00"), TimeZone = Settable<string>.To("Europe/Paris"),
        }, dev.Actor));
        CoreHost.Ok(await policies.CreateAsync(stranger.Developer.Id, new PolicyInput { Name = "Not mine", Effect = "deny" }, stranger.Actor));

        var pack = await Host.PackAsync(dev);

        using var document = JsonDocument.Parse(PackEditor.Text(pack, "policies.json"));
        var listed = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(["No nights", "Reads are fine"], listed.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(
            ["id", "name", "effect", "priority", "agentId", "principalId", "scopes", "timeOfDayStart", "timeOfDayEnd", "timeZone", "createdAt", "updatedAt"],
            listed[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("Europe/Paris", listed[0].GetProperty("timeZone").GetString());
        Assert.Equal(JsonValueKind.Null, listed[0].GetProperty("scopes").ValueKind);
        Assert.Equal(["read"], listed[1].GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        using var manifest = JsonDocument.Parse(PackEditor.Text(pack, "manifest.json"));
        var entry = manifest.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "policies.json");
        var bytes = PackEditor.Files(pack).Single(f => f.Name == "policies.json").Content;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), entry.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, entry.GetProperty("bytes").GetInt64());
        var verdict = await PackEditor.VerifyAsync(pack, Host.Jwks());
        Assert.True(verdict.Intact, verdict.Summary);

        // Loosening a rule in the pack after the fact is caught.
        var edited = PackEditor.EditText(pack, "policies.json", text => text.Replace("\"deny\"", "\"allow\"", StringComparison.Ordinal));
        Assert.False((await PackEditor.VerifyAsync(edited, Host.Jwks())).Intact);
    }

    [Fact]
    public async Task entries_are_in_chain_order_with_every_field_the_hash_covers()
    {
        var dev = await Host.CreateDeveloperAsync();
        var logged = await Host.LogAsync(dev, 3);

        var pack = await Host.PackAsync(dev);

        var lines = PackEditor.Lines(pack, "audit-entries.jsonl");
        Assert.Equal(4, lines.Count); // developer.created, then the three logged
        for (var i = 0; i < lines.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var e = line.RootElement;
            Assert.Equal(i, e.GetProperty("chainIndex").GetInt64());
            var recomputed = AuditHash.Compute(new AuditHashInput(
                e.GetProperty("entryId").GetString()!, e.GetProperty("agentId").GetString()!, e.GetProperty("agentDid").GetString()!,
                e.GetProperty("grantId").GetString()!, e.GetProperty("principalId").GetString()!, e.GetProperty("developerId").GetString()!,
                e.GetProperty("action").GetString()!, e.GetProperty("metadata").GetRawText(), e.GetProperty("timestamp").GetString()!,
                e.GetProperty("prevHash").ValueKind == JsonValueKind.Null ? null : e.GetProperty("prevHash").GetString(), e.GetProperty("status").GetString()!));
            Assert.Equal(e.GetProperty("hash").GetString(), recomputed);
        }

        Assert.Equal(logged[^1].Hash, JsonDocument.Parse(lines[^1]).RootElement.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task metadata_travels_in_its_canonical_form_so_the_reference_vector_recomputes()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 1, metadataJson: """{"zebra":1,"alpha":{"yankee":true,"bravo":[3,2]},"mike":"x"}""");
        await Host.LogAsync(dev, 1, action: "café.paid <b>", metadataJson: """{"note":"naïve 😀 </script>","amount":1.50,"big":1e2}""");

        var pack = await Host.PackAsync(dev);

        var lines = PackEditor.Lines(pack, "audit-entries.jsonl");
        Assert.Contains("\"metadata\":{\"alpha\":{\"bravo\":[3,2],\"yankee\":true},\"mike\":\"x\",\"zebra\":1}", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"metadata\":{\"amount\":1.5,\"big\":100,", lines[2], StringComparison.Ordinal);
        var verdict = await PackEditor.VerifyAsync(pack, Host.Jwks());
        Assert.True(verdict.Intact, verdict.Summary);
    }

    [Fact]
    public async Task the_verifier_recomputes_the_reference_test_vectors_from_pack_lines()
    {
        // Wire format §5.1, E1 and E2, written as pack lines.
        const string e1 = """{"entryId":"alog_001","chainIndex":0,"agentId":"ag_001","agentDid":"did:grantex:ag_001","grantId":"grnt_001","principalId":"user_001","developerId":"dev_001","action":"invoke","metadata":{},"timestamp":"2026-01-01T00:00:00.000Z","prevHash":null,"hash":"a1885baefd24b842333d6f54f6ceec8ee0b8905073a2499b44b3d115f79b3615","status":"success"}""";
        const string e2 = """{"entryId":"alog_002","chainIndex":1,"agentId":"ag_001","agentDid":"did:grantex:ag_001","grantId":"grnt_001","principalId":"user_001","developerId":"dev_001","action":"payment.initiated","metadata":{"alpha":{"bravo":[3,2],"yankee":true},"mike":"x","zebra":1},"timestamp":"2026-01-01T00:00:01.500Z","prevHash":"a1885baefd24b842333d6f54f6ceec8ee0b8905073a2499b44b3d115f79b3615","hash":"827b13c0c62c7de771105db84f728bc45fc078de5f9aa9912ce950ac37a91672","status":"failure"}""";
        var manifest = new AuditPackManifest("dev_001", "2026-01-02T00:00:00.000Z", null, null, null, null, 2, []);

        var intact = await CheckLinesAsync(manifest, e1, e2);
        var reordered = await CheckLinesAsync(manifest, e1, e2.Replace("""{"alpha":{"bravo":[3,2],"yankee":true},"mike":"x","zebra":1}""", """{"zebra":1,"alpha":{"bravo":[3,2],"yankee":true},"mike":"x"}""", StringComparison.Ordinal));

        Assert.Empty(intact);
        Assert.Contains(reordered, p => p.Code == "chain_content" && p.Message.Contains("alog_002", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_window_that_starts_mid_chain_records_the_first_link_without_checking_it()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 3);
        Host.Time.Advance(TimeSpan.FromMinutes(10));
        var since = Host.Time.GetUtcNow().UtcDateTime;
        var inWindow = await Host.LogAsync(dev, 4);
        Host.Time.Advance(TimeSpan.FromMinutes(10));
        var until = Host.Time.GetUtcNow().UtcDateTime.AddSeconds(-1);
        await Host.LogAsync(dev, 2);

        var pack = await Host.PackAsync(dev, new ComplianceFilter(since, until));

        var lines = PackEditor.Lines(pack, "audit-entries.jsonl");
        Assert.Equal(inWindow.Select(e => e.Id), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("entryId").GetString()));
        using var verification = JsonDocument.Parse(PackEditor.Text(pack, "verification.json"));
        var chain = verification.RootElement.GetProperty("chain");
        Assert.True(verification.RootElement.GetProperty("intact").GetBoolean());
        Assert.False(chain.GetProperty("firstLinkChecked").GetBoolean());
        Assert.Equal(inWindow[0].PrevHash, chain.GetProperty("first").GetProperty("prevHash").GetString());
        var verdict = await PackEditor.VerifyAsync(pack, Host.Jwks());
        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Contains(verdict.Notes, n => n.Contains("starts mid-chain", StringComparison.Ordinal) && n.Contains(inWindow[0].PrevHash!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_pack_holds_only_the_callers_chain()
    {
        var mine = await Host.CreateDeveloperAsync("Mine");
        var theirs = await Host.CreateDeveloperAsync("Theirs");
        await Host.LogAsync(mine, 2);
        await Host.LogAsync(theirs, 7);

        var pack = await Host.PackAsync(mine);

        var lines = PackEditor.Lines(pack, "audit-entries.jsonl");
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Contains(mine.Developer.Id, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task exporting_a_pack_is_itself_recorded_in_the_chain()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 2);

        await Host.PackAsync(dev);

        var last = (await Host.Get<AuditService>().ListAsync(dev.Developer.Id, new AuditFilter(), null, 10, newestFirst: true)).Items[0];
        Assert.Equal("compliance.audit_pack_exported", last.Action);
        Assert.Equal(dev.Actor, last.Actor);
        Assert.Contains("\"entries\":3", last.MetadataJson, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<AuditPackProblem>> CheckLinesAsync(AuditPackManifest manifest, params string[] lines)
    {
        var check = new PackChainCheck(manifest, []);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        await check.ReadAsync(new JsonLinesReader(stream, 1024 * 1024), CancellationToken.None);
        var problems = new List<AuditPackProblem>();
        check.Report((code, message) => problems.Add(new AuditPackProblem(code, message)), [], []);
        return problems;
    }
}
