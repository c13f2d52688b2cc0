using System.Text.Json;
using Grantex.Compliance.Tests.Infrastructure;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Compliance;
using Grantex.Core.Keys;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Grantex.Core.Jose;

namespace Grantex.Compliance.Tests;

/// <summary>Signed chain checkpoints: what they say, where they are refused, and what they reveal.</summary>
public sealed class CheckpointTests(CoreHost host) : IClassFixture<CoreHost>
{
    private CoreHost Host => host;

    private CheckpointService Checkpoints => Host.Get<CheckpointService>();

    [Fact]
    public async Task a_checkpoint_is_a_jws_under_the_server_key_stating_the_chain_head_and_count()
    {
        var dev = await Host.CreateDeveloperAsync();
        var logged = await Host.LogAsync(dev, 4);

        var checkpoint = await Host.CheckpointAsync(dev);

        Assert.Equal(5, checkpoint.EntryCount);
        Assert.Equal(logged[^1].Hash, checkpoint.HeadHash);
        Assert.Equal(logged[^1].Id, checkpoint.HeadEntryId);
        var header = new JsonWebToken(checkpoint.Jws);
        Assert.Equal("RS256", header.Alg);
        Assert.Equal(CheckpointToken.Type, header.Typ);
        Assert.Equal(Host.Get<SigningKeyStore>().Current.KeyId, header.Kid);
        Assert.Equal(header.Kid, checkpoint.Kid);
        var reading = await CheckpointToken.ReadAsync(checkpoint.Jws, JwksKeys.Parse(Host.Jwks()));
        Assert.True(reading.Signature.Valid);
        Assert.Equal(new CheckpointClaims(checkpoint.Id, "https://grantex.test", dev.Developer.Id, 5, logged[^1].Hash, logged[^1].Id,
            TimeFormat.Iso(logged[^1].Timestamp), TimeFormat.ToUnixSeconds(checkpoint.CreatedAt)), reading.Claims);
    }

    [Fact]
    public async Task a_checkpoint_cannot_pass_for_a_grant_token()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 1);
        var checkpoint = await Host.CheckpointAsync(dev);

        var verifier = GrantTokenVerifier.FromJwks(Host.Jwks(), Host.Time);
        var result = await verifier.VerifyAsync(checkpoint.Jws, new GrantTokenVerifierOptions { Issuer = "https://grantex.test" });

        Assert.False(result.IsValid);
        Assert.NotEqual(TokenCheck.Valid, result.Check);
    }

    [Fact]
    public async Task a_checkpoint_altered_or_signed_by_another_key_is_refused()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 2);
        var checkpoint = await Host.CheckpointAsync(dev);
        var keys = JwksKeys.Parse(Host.Jwks());
        var parts = checkpoint.Jws.Split('.');
        var claims = (await CheckpointToken.ReadAsync(checkpoint.Jws, keys)).Claims!;
        var altered = parts[0] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode((claims with { Count = 99 }).ToJson()) + "." + parts[2];
        var otherKey = CheckpointToken.Sign(claims, PackEditor.AttackerKey(checkpoint.Kid));
        var unknownKey = CheckpointToken.Sign(claims, PackEditor.AttackerKey("sk_elsewhere"));
        var noneAlg = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"alg":"none","typ":"grantex-checkpoint+jws","kid":"x"}""") + "." + parts[1] + ".";

        Assert.Equal(JwsFailure.Invalid, (await CheckpointToken.ReadAsync(altered, keys)).Signature.Failure);
        Assert.Equal(JwsFailure.Invalid, (await CheckpointToken.ReadAsync(otherKey, keys)).Signature.Failure);
        Assert.Equal(JwsFailure.UnknownKey, (await CheckpointToken.ReadAsync(unknownKey, keys)).Signature.Failure);
        Assert.Equal(JwsFailure.Invalid, (await CheckpointToken.ReadAsync(noneAlg, keys)).Signature.Failure);
        Assert.Equal(JwsFailure.Malformed, (await CheckpointToken.ReadAsync("not.a.jws!", keys)).Signature.Failure);
    }

    [Fact]
    public async Task an_empty_chain_has_nothing_to_checkpoint()
    {
        var result = await Checkpoints.CreateAsync("dev_does_not_exist");

        Assert.False(result.IsSuccess);
        Assert.Equal(GxErrorKind.Validation, result.Error.Kind);
    }

    [Fact]
    public async Task the_schedule_signs_only_chains_that_grew_since_their_last_checkpoint()
    {
        var grows = await Host.CreateDeveloperAsync("Grows");
        var still = await Host.CreateDeveloperAsync("Still");
        await Host.LogAsync(grows, 2);
        await Host.LogAsync(still, 2);
        await Checkpoints.CreateForGrownChainsAsync();
        var before = (await Checkpoints.ListAsync(still.Developer.Id, null, 10)).Items.Count;

        await Host.LogAsync(grows, 1);
        await Checkpoints.CreateForGrownChainsAsync();

        Assert.Equal(1, before);
        Assert.Equal(before, (await Checkpoints.ListAsync(still.Developer.Id, null, 10)).Items.Count);
        var growing = (await Checkpoints.ListAsync(grows.Developer.Id, null, 10)).Items;
        Assert.Equal(2, growing.Count);
        Assert.Equal(4, growing[0].EntryCount);
    }

    [Fact]
    public async Task the_list_is_newest_first_and_pages_with_a_cursor()
    {
        var dev = await Host.CreateDeveloperAsync();
        var made = new List<AuditCheckpoint>();
        for (var i = 0; i < 5; i++)
        {
            await Host.LogAsync(dev, 1);
            Host.Time.Advance(TimeSpan.FromSeconds(1));
            made.Add(await Host.CheckpointAsync(dev));
        }

        var first = await Checkpoints.ListAsync(dev.Developer.Id, null, 2);
        Assert.True(Cursor.TryDecode(first.NextCursor, out var after));
        var second = await Checkpoints.ListAsync(dev.Developer.Id, after, 2);
        Assert.True(Cursor.TryDecode(second.NextCursor, out var afterSecond));
        var third = await Checkpoints.ListAsync(dev.Developer.Id, afterSecond, 2);

        Assert.Equal(made.AsEnumerable().Reverse().Select(c => c.Id), first.Items.Concat(second.Items).Concat(third.Items).Select(c => c.Id));
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public async Task verification_reports_a_truncated_chain_that_the_walk_alone_finds_intact()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 6);
        var checkpoint = await Host.CheckpointAsync(dev);
        Assert.True((await Host.Get<ComplianceService>().VerifyChainAsync(dev.Developer.Id)).Valid);

        await Host.TamperWithDatabaseAsync("DELETE FROM audit_entries WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" >= {1}", dev.Developer.Id, 5L);
        var status = await Host.Get<ComplianceService>().VerifyChainAsync(dev.Developer.Id);

        Assert.True(status.Walk.Valid);
        Assert.False(status.Valid);
        Assert.Equal("truncated", status.Reason);
        Assert.Equal(checkpoint.HeadEntryId, status.FirstBrokenAt);
        Assert.Equal(CheckpointOutcome.Truncated, Assert.Single(status.Checkpoints).Outcome);
    }

    [Fact]
    public async Task verification_reports_a_rewritten_head_and_no_new_checkpoint_is_signed_over_it()
    {
        var dev = await Host.CreateDeveloperAsync();
        var logged = await Host.LogAsync(dev, 3);
        var checkpoint = await Host.CheckpointAsync(dev);
        var head = logged[^1];
        var forgedHash = AuditHash.Compute(AuditHashInput.From(head) with { Action = "nothing.happened" });
        await Host.TamperWithDatabaseAsync("UPDATE audit_entries SET \"Action\" = 'nothing.happened', \"Hash\" = {0} WHERE \"Id\" = {1}", forgedHash, head.Id);

        var status = await Host.Get<ComplianceService>().VerifyChainAsync(dev.Developer.Id);
        var refused = await Checkpoints.CreateAsync(dev.Developer.Id);

        Assert.True(status.Walk.Valid);
        Assert.Equal("rewritten", status.Reason);
        Assert.False(refused.IsSuccess);
        Assert.Equal(GxErrorKind.Conflict, refused.Error.Kind);
        Assert.Contains(checkpoint.Id, refused.Error.Message, StringComparison.Ordinal);
        var last = (await Host.Get<AuditService>().ListAsync(dev.Developer.Id, new AuditFilter(), null, 1, newestFirst: true)).Items[0];
        Assert.Equal("compliance.checkpoint_refused", last.Action);
        Assert.Equal(AuditDraft.Failure, last.Status);
    }

    [Fact]
    public async Task the_consistency_check_classifies_checkpoints_outside_the_window()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 2);
        var early = await Host.CheckpointAsync(dev);
        Host.Time.Advance(TimeSpan.FromHours(1));
        var since = Host.Time.GetUtcNow().UtcDateTime;
        await Host.LogAsync(dev, 2);
        var inside = await Host.CheckpointAsync(dev);
        Host.Time.Advance(TimeSpan.FromHours(1));
        var until = Host.Time.GetUtcNow().UtcDateTime.AddSeconds(-1);
        await Host.LogAsync(dev, 2);
        var late = await Host.CheckpointAsync(dev);

        var pack = await Host.PackAsync(dev, new ComplianceFilter(since, until));
        using var verification = JsonDocument.Parse(PackEditor.Text(pack, "verification.json"));
        var outcomes = verification.RootElement.GetProperty("chain").GetProperty("checkpoints").EnumerateArray()
            .ToDictionary(c => c.GetProperty("checkpointId").GetString()!, c => c.GetProperty("outcome").GetString());

        Assert.DoesNotContain(early.Id, outcomes.Keys);
        Assert.Equal("consistent", outcomes[inside.Id]);
        Assert.Equal("after_window", outcomes[late.Id]);
        var verdict = await PackEditor.VerifyAsync(pack, Host.Jwks());
        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Contains(verdict.Notes, n => n.Contains(late.Id, StringComparison.Ordinal) && n.Contains("after the window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_checkpoint_kept_outside_the_server_catches_a_tail_cut_together_with_its_checkpoints()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 3);
        var kept = await Host.CheckpointAsync(dev);
        await Host.TamperWithDatabaseAsync("DELETE FROM audit_checkpoints WHERE \"DeveloperId\" = {0}", dev.Developer.Id);
        await Host.TamperWithDatabaseAsync("DELETE FROM audit_entries WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" >= {1}", dev.Developer.Id, 2L);

        var pack = await Host.PackAsync(dev);
        var alone = await PackEditor.VerifyAsync(pack, Host.Jwks());
        var withKept = await PackEditor.VerifyAsync(pack, Host.Jwks(), [kept.Jws]);

        Assert.True(alone.Intact, alone.Summary);
        Assert.Contains(alone.Notes, n => n.Contains("No checkpoint", StringComparison.Ordinal));
        Assert.True(withKept.Has("checkpoint_truncated"), withKept.Summary);
        Assert.Contains(kept.Id, withKept.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_background_service_signs_grown_chains_at_start_and_again_every_interval()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 2);
        using var service = new CheckpointBackgroundService(Checkpoints, Host.Get<Grantex.Core.Persistence.IDatabaseProvider>(), Host.Time,
            Options.Create(new ComplianceOptions { CheckpointInterval = TimeSpan.FromHours(1) }), NullLogger<CheckpointBackgroundService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(async () => (await Checkpoints.ListAsync(dev.Developer.Id, null, 10)).Items.Count == 1, "The background service did not sign at start.");
        await Host.LogAsync(dev, 1);
        Host.Time.Advance(TimeSpan.FromHours(1));
        await Eventually.UntilAsync(async () => (await Checkpoints.ListAsync(dev.Developer.Id, null, 10)).Items.Count == 2, "The background service did not sign after the interval.");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(4, (await Checkpoints.LatestAsync(dev.Developer.Id))!.EntryCount);
    }
}
