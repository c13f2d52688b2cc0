using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Compliance.Tests.Infrastructure;
using Grantex.Core.Compliance;
using Grantex.Core.Developers;
using Grantex.Testing;

namespace Grantex.Compliance.Tests;

/// <summary>Every tamper case the offline verifier must catch, each named for what it is.</summary>
public sealed class AuditPackTamperTests(CoreHost host) : IClassFixture<CoreHost>
{
    private CoreHost Host => host;

    [Fact]
    public async Task a_changed_entry_is_named_as_changed()
    {
        var (_, pack) = await PackWithCheckpointAsync(10);
        var victim = EntryId(pack, 4);

        var tampered = PackEditor.EditLines(pack, "audit-entries.jsonl", lines =>
            lines[4] = lines[4].Replace("\"action\":\"tool.invoked\"", "\"action\":\"tool.denied\"", StringComparison.Ordinal));
        var verdict = await PackEditor.VerifyAsync(tampered, Host.Jwks());

        Assert.False(verdict.Intact);
        Assert.StartsWith("TAMPERED: ", verdict.Summary, StringComparison.Ordinal);
        Assert.True(verdict.Has("file_hash"), verdict.Summary);
        var content = Assert.Single(verdict.Problems, p => p.Code == "chain_content");
        Assert.Contains(victim, content.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_changed_entry_is_caught_even_when_the_manifest_digests_are_recomputed()
    {
        var (_, pack) = await PackWithCheckpointAsync(6);

        var tampered = PackEditor.Reseal(PackEditor.EditLines(pack, "audit-entries.jsonl", lines =>
            lines[2] = lines[2].Replace("\"status\":\"success\"", "\"status\":\"blocked\"", StringComparison.Ordinal)));
        var verdict = await PackEditor.VerifyAsync(tampered, Host.Jwks());

        Assert.False(verdict.Intact);
        Assert.False(verdict.Has("file_hash"), verdict.Summary);
        Assert.True(verdict.Has("manifest_mismatch"), verdict.Summary);
        Assert.True(verdict.Has("chain_content"), verdict.Summary);
    }

    [Fact]
    public async Task a_deleted_entry_is_named_as_missing()
    {
        var (_, pack) = await PackWithCheckpointAsync(10);
        var after = EntryId(pack, 6);

        var tampered = PackEditor.EditLines(pack, "audit-entries.jsonl", lines => lines.RemoveAt(5));
        var verdict = await PackEditor.VerifyAsync(tampered, Host.Jwks());

        Assert.False(verdict.Intact);
        var missing = Assert.Single(verdict.Problems, p => p.Code == "chain_missing");
        Assert.Contains(after, missing.Message, StringComparison.Ordinal);
        Assert.Contains("position 5 is missing", missing.Message, StringComparison.Ordinal);
        Assert.True(verdict.Has("file_hash"), verdict.Summary);
        Assert.False(verdict.Has("chain_order"), verdict.Summary);
    }

    [Fact]
    public async Task a_reordered_pair_is_named_as_out_of_order_not_as_missing()
    {
        var (_, pack) = await PackWithCheckpointAsync(10);
        var moved = EntryId(pack, 3);

        var tampered = PackEditor.EditLines(pack, "audit-entries.jsonl", lines => (lines[3], lines[4]) = (lines[4], lines[3]));
        var verdict = await PackEditor.VerifyAsync(tampered, Host.Jwks());

        Assert.False(verdict.Intact);
        var order = Assert.Single(verdict.Problems, p => p.Code == "chain_order");
        Assert.Contains(moved, order.Message, StringComparison.Ordinal);
        Assert.False(verdict.Has("chain_missing"), verdict.Summary);
    }

    [Fact]
    public async Task a_truncated_tail_in_the_pack_is_caught_by_the_checkpoint()
    {
        var (checkpoint, pack) = await PackWithCheckpointAsync(10);

        // The tamperer cuts the last three entries and fixes up the digests; the chain that is left is internally sound.
        var tampered = PackEditor.Reseal(PackEditor.EditLines(pack, "audit-entries.jsonl", lines => lines.RemoveRange(lines.Count - 3, 3)));
        var verdict = await PackEditor.VerifyAsync(tampered, Host.Jwks());

        Assert.False(verdict.Intact);
        Assert.False(verdict.Has("chain_missing") || verdict.Has("chain_link") || verdict.Has("chain_content"), verdict.Summary);
        var truncated = Assert.Single(verdict.Problems, p => p.Code == "checkpoint_truncated");
        Assert.Contains(checkpoint.Id, truncated.Message, StringComparison.Ordinal);
        Assert.Contains($"had {checkpoint.EntryCount} entries", truncated.Message, StringComparison.Ordinal);
        Assert.True(verdict.Has("manifest_mismatch"), verdict.Summary);
    }

    [Fact]
    public async Task a_tail_cut_from_the_database_before_the_pack_is_made_is_caught_only_by_the_checkpoint()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 9);
        var checkpoint = await Host.CheckpointAsync(dev);
        await Host.TamperWithDatabaseAsync("DELETE FROM audit_entries WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" >= {1}", dev.Developer.Id, 7L);

        var pack = await Host.PackAsync(dev);
        var verdict = await PackEditor.VerifyAsync(pack, Host.Jwks());

        // The server signed this pack honestly: signature, digests and chain walk are all sound.
        Assert.DoesNotContain(verdict.Problems, p => p.Code.StartsWith("manifest", StringComparison.Ordinal) || p.Code.StartsWith("file", StringComparison.Ordinal) || p.Code.StartsWith("chain", StringComparison.Ordinal));
        var truncated = Assert.Single(verdict.Problems);
        Assert.Equal("checkpoint_truncated", truncated.Code);
        Assert.Contains(checkpoint.HeadEntryId, truncated.Message, StringComparison.Ordinal);
        using var verification = JsonDocument.Parse(PackEditor.Text(pack, "verification.json"));
        Assert.False(verification.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal("truncated", verification.RootElement.GetProperty("chain").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task a_chain_rewritten_in_the_database_with_every_later_hash_recomputed_is_caught_by_the_checkpoint()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 5);
        var checkpoint = await Host.CheckpointAsync(dev);
        await RewriteChainAsync(dev, fromIndex: 2);

        var verdict = await PackEditor.VerifyAsync(await Host.PackAsync(dev), Host.Jwks());

        var rewritten = Assert.Single(verdict.Problems);
        Assert.Equal("checkpoint_rewritten", rewritten.Code);
        Assert.Contains(checkpoint.Id, rewritten.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_modified_manifest_no_longer_matches_its_signature()
    {
        var (_, pack) = await PackWithCheckpointAsync(4);

        var tampered = PackEditor.EditText(pack, "manifest.json", text =>
        {
            var manifest = JsonNode.Parse(text)!;
            manifest["filters"]!["since"] = "2020-01-01T00:00:00.000Z";
            return manifest.ToJsonString();
        });
        var verdict = await PackEditor.VerifyAsync(tampered, Host.Jwks());

        Assert.False(verdict.Intact);
        Assert.True(verdict.Has("manifest_mismatch"), verdict.Summary);
        Assert.False(verdict.Has("manifest_signature"), verdict.Summary);
    }

    [Fact]
    public async Task a_pack_signed_by_another_key_is_refused_against_the_server_jwks()
    {
        var (_, pack) = await PackWithCheckpointAsync(4);
        var serverKid = JsonDocument.Parse(PackEditor.Text(pack, "manifest.json")).RootElement.GetProperty("signingKey").GetString()!;

        var ownKid = await PackEditor.VerifyAsync(PackEditor.Resign(pack, PackEditor.AttackerKey("sk_attacker"), replaceJwks: false), Host.Jwks());
        var stolenKid = await PackEditor.VerifyAsync(PackEditor.Resign(pack, PackEditor.AttackerKey(serverKid), replaceJwks: false), Host.Jwks());

        Assert.False(ownKid.Intact);
        Assert.Contains(ownKid.Problems, p => p.Code == "manifest_signature" && p.Message.Contains("'sk_attacker', which is not in the JWKS", StringComparison.Ordinal));
        Assert.False(stolenKid.Intact);
        Assert.Contains(stolenKid.Problems, p => p.Code == "manifest_signature" && p.Message.Contains("does not verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_forged_self_consistent_pack_passes_only_against_its_own_keys_and_the_verdict_says_so()
    {
        var (_, pack) = await PackWithCheckpointAsync(4);
        var forged = PackEditor.Resign(
            PackEditor.EditLines(pack, "audit-entries.jsonl", lines => lines.RemoveAt(lines.Count - 1)),
            PackEditor.AttackerKey("sk_attacker"),
            replaceJwks: true);

        var againstPack = await PackEditor.VerifyAsync(forged, jwks: null);
        var againstServer = await PackEditor.VerifyAsync(forged, Host.Jwks());

        // Against its own keys a forgery is self-consistent, which is exactly why the verdict says where the keys came
        // from; the server's checkpoint inside it cannot be checked with the forger's key and says so too.
        Assert.True(againstPack.Intact, againstPack.Summary);
        Assert.True(againstPack.KeysFromPack);
        Assert.Contains(againstPack.Notes, n => n.Contains("pack's own jwks.json", StringComparison.Ordinal));
        Assert.Contains(againstPack.Notes, n => n.Contains("could not be checked", StringComparison.Ordinal));
        Assert.False(againstServer.Intact);
        Assert.False(againstServer.KeysFromPack);
        Assert.True(againstServer.Has("manifest_signature"), againstServer.Summary);
    }

    [Fact]
    public async Task an_untouched_pack_verified_with_its_own_keys_is_intact_but_says_where_the_keys_came_from()
    {
        var (_, pack) = await PackWithCheckpointAsync(3);

        var verdict = await PackEditor.VerifyAsync(pack, jwks: null);

        Assert.True(verdict.Intact, verdict.Summary);
        Assert.True(verdict.KeysFromPack);
        Assert.Contains(verdict.Notes, n => n.Contains("--jwks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_forged_checkpoint_in_the_pack_is_named()
    {
        var (checkpoint, pack) = await PackWithCheckpointAsync(3);
        var forgedClaims = CheckpointClaims.FromJson(System.Text.Encoding.UTF8.GetBytes(
            JsonNode.Parse(Convert.FromBase64String(Pad(checkpoint.Jws.Split('.')[1])))!.ToJsonString()))! with { Count = 2 };
        var forged = CheckpointToken.Sign(forgedClaims, PackEditor.AttackerKey(checkpoint.Kid));

        var tampered = PackEditor.Reseal(PackEditor.EditText(pack, "checkpoints.jsonl", text => text.Replace(checkpoint.Jws, forged, StringComparison.Ordinal)));
        var verdict = await PackEditor.VerifyAsync(tampered, Host.Jwks());

        Assert.True(verdict.Has("checkpoint_signature_invalid"), verdict.Summary);
        Assert.True(verdict.Has("checkpoint_mismatch"), verdict.Summary);
    }

    [Fact]
    public async Task a_file_slipped_into_the_pack_or_taken_out_is_named()
    {
        var (_, pack) = await PackWithCheckpointAsync(3);

        var added = await PackEditor.VerifyAsync(PackEditor.Write([.. PackEditor.Files(pack), ("extra.txt", "hello"u8.ToArray())]), Host.Jwks());
        var removed = await PackEditor.VerifyAsync(PackEditor.Remove(pack, "grants.jsonl"), Host.Jwks());
        var garbage = await PackEditor.VerifyAsync("not a zip at all"u8.ToArray(), Host.Jwks());

        Assert.True(added.Has("file_unlisted"), added.Summary);
        Assert.True(removed.Has("file_missing"), removed.Summary);
        Assert.True(garbage.Has("not_a_zip"), garbage.Summary);
    }

    private async Task<(AuditCheckpoint Checkpoint, byte[] Pack)> PackWithCheckpointAsync(int entries)
    {
        var dev = await Host.CreateDeveloperAsync(mode: DeveloperMode.Live);
        await Host.LogAsync(dev, entries - 1);
        var checkpoint = await Host.CheckpointAsync(dev);
        Assert.Equal(entries, checkpoint.EntryCount);
        var pack = await Host.PackAsync(dev);
        Assert.True((await PackEditor.VerifyAsync(pack, Host.Jwks())).Intact);
        return (checkpoint, pack);
    }

    /// <summary>What someone with write access to the database file can do: change an entry and recompute every later hash.</summary>
    private async Task RewriteChainAsync(Core.Developers.ApiKeyCaller dev, long fromIndex)
    {
        await using var db = await Host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Core.Persistence.GrantexDbContext>>().CreateDbContextAsync();
        var rows = db.AuditEntries.Where(e => e.DeveloperId == dev.Developer.Id).OrderBy(e => e.ChainIndex).ToList();
        var previous = rows[(int)fromIndex - 1].Hash;
        foreach (var row in rows.Where(r => r.ChainIndex >= fromIndex))
        {
            var action = row.ChainIndex == fromIndex ? "tool.rewritten" : row.Action;
            var hash = Core.Audit.AuditHash.Compute(new Core.Audit.AuditHashInput(row.Id, row.AgentId, row.AgentDid, row.GrantId, row.PrincipalId,
                row.DeveloperId, action, row.MetadataJson, Core.Common.TimeFormat.Iso(row.Timestamp), previous, row.Status));
            await Host.TamperWithDatabaseAsync("UPDATE audit_entries SET \"Action\" = {0}, \"PrevHash\" = {1}, \"Hash\" = {2} WHERE \"Id\" = {3}", action, previous, hash, row.Id);
            previous = hash;
        }
    }

    private static string EntryId(byte[] pack, int line) =>
        JsonDocument.Parse(PackEditor.Lines(pack, "audit-entries.jsonl")[line]).RootElement.GetProperty("entryId").GetString()!;

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
