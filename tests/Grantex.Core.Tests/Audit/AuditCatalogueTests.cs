using Grantex.Core.Audit;

namespace Grantex.Core.Tests.Audit;

public class AuditCatalogueTests
{
    [Fact]
    public void every_catalogued_action_has_a_dotted_name_a_label_and_is_found_by_name()
    {
        Assert.True(AuditActions.All.Count >= 40);
        foreach (var (name, action) in AuditActions.All)
        {
            Assert.Equal(name, action.Name);
            Assert.Matches("^[a-z_]+\\.[a-z_]+$", name);
            Assert.False(string.IsNullOrWhiteSpace(action.Label));
            Assert.NotEqual(AuditCategory.Custom, action.Category);
            Assert.Same(action, AuditActions.Describe(name));
        }
    }

    [Theory]
    [InlineData("grant.revoked", AuditOutcome.Revocation, "success")]
    [InlineData("refresh.reused", AuditOutcome.Refusal, "blocked")]
    [InlineData("console.sign_in_failed", AuditOutcome.Failure, "failure")]
    [InlineData("consent.approved", AuditOutcome.Success, "success")]
    public void the_outcome_decides_the_stored_status(string name, AuditOutcome outcome, string status)
    {
        var action = AuditActions.Describe(name);

        Assert.Equal(outcome, action.Outcome);
        Assert.Equal(status, action.Status);
    }

    [Fact]
    public void a_developers_own_action_is_described_as_custom_under_its_own_name()
    {
        var action = AuditActions.Describe("invoice.paid");

        Assert.Equal(AuditCategory.Custom, action.Category);
        Assert.Equal("invoice.paid", action.Label);
        Assert.False(AuditActions.IsDefined("invoice.paid"));
        Assert.True(AuditActions.IsDefined("grant.created"));
    }

    [Fact]
    public void metadata_is_canonical_json_with_sorted_keys_and_bounded_text()
    {
        var json = AuditMetadata.With("reason", "revoked").And("cascade", true).And("revokedGrants", 3)
            .AndIf(false, "skipped", 1).AndBounded("target", new string('x', 10), 4).ToCanonicalJson();

        Assert.Equal("""{"cascade":true,"reason":"revoked","revokedGrants":3,"target":"xxxx"}""", json);
        Assert.Equal("{}", AuditMetadata.None);
    }

    [Fact]
    public void a_draft_takes_its_status_from_the_catalogue_and_the_did_from_the_agent()
    {
        var draft = AuditDraft.For(new AuditSubject("dev_1", "ag_1", "grnt_1", "alice"), AuditActions.CodeReplayed, "api-key:key_1");

        Assert.Equal("blocked", draft.Status);
        Assert.Equal("code.replayed", draft.Action);
        Assert.Equal("did:grantex:ag_1", draft.AgentDid);
        Assert.Equal("{}", draft.CanonicalMetadata);
        Assert.Equal("", AuditDraft.For(new AuditSubject("dev_1"), AuditActions.DeveloperCreated, null).AgentDid);
    }
}
