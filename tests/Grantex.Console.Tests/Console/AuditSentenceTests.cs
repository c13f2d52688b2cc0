using Grantex.Console.Components.Shared;
using Grantex.Core.Audit;

namespace Grantex.Console.Tests.Console;

public sealed class AuditSentenceTests
{
    private static readonly AuditNameBook Names = new(
        new Dictionary<string, string> { ["dev_1"] = "Acme" },
        new Dictionary<string, string> { ["ag_inbox"] = "Inbox assistant", ["ag_bills"] = "Bills" },
        new Dictionary<string, string> { ["ada"] = "Ada Admin" });

    [Theory]
    [InlineData("grant.revoked", "ag_inbox", "alice", "console:ada", "Inbox assistant's grant for alice revoked by Ada Admin")]
    [InlineData("grant.revoked", "ag_bills", "alice", "api-key:key_1", "Bills' grant for alice revoked by Acme's API key")]
    [InlineData("grant.created", "ag_inbox", "alice", "api-key:key_1", "alice granted Inbox assistant access via Acme's API key")]
    [InlineData("consent.denied", "ag_inbox", "bob", null, "bob denied Inbox assistant")]
    [InlineData("token.revoked", "ag_gone", "alice", "scim:tok_1", "An agent's token for alice revoked by SCIM provisioning")]
    [InlineData("agent.suspended", "ag_inbox", "", "console:zoe", "Agent suspended: Inbox assistant by zoe")]
    [InlineData("anomaly.auto_revoked", "ag_inbox", "", "system:anomaly-detector", "Agent's grants revoked automatically after an anomaly: Inbox assistant by the anomaly detector")]
    [InlineData("console.sign_in_failed", "", "", "console:anonymous", "Console sign-in failed")]
    [InlineData("my.custom_event", "", "carol", null, "my.custom_event, for carol")]
    [InlineData("console.access_denied", "", "", "console:ada", "Page /users refused by Ada Admin", "{\"page\":\"/users\",\"reason\":\"role Viewer\"}")]
    [InlineData("console.access_denied", "", "", "console:ada", "Page of the console refused by Ada Admin", "not json")]
    public void an_entry_reads_as_a_sentence_with_names(string action, string agentId, string principal, string? actor, string expected, string metadata = "{}")
    {
        var entry = new AuditEntry
        {
            Id = "aud_1", DeveloperId = "dev_1", AgentId = agentId, AgentDid = "", GrantId = "", PrincipalId = principal, Action = action,
            MetadataJson = metadata, Timestamp = DateTime.UnixEpoch, Hash = "", Status = "success", Actor = actor,
        };

        Assert.Equal(expected, AuditSentence.For(entry, Names));
    }
}
