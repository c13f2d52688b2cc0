using Grantex.Core.Audit;
using Grantex.Core.Common;

namespace Grantex.Core.Tests.Audit;

/// <summary>Builds correctly hashed audit chains in memory, and tampered copies of their entries.</summary>
internal static class AuditChains
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static List<AuditEntry> Build(int count, string developerId = "dev_chain")
    {
        var chain = new List<AuditEntry>(count);
        string? prev = null;
        for (var i = 0; i < count; i++)
        {
            var entry = Rehash(new AuditEntry
            {
                Id = $"alog_{i:D4}",
                ChainIndex = i,
                DeveloperId = developerId,
                AgentId = "ag_1",
                AgentDid = "did:grantex:ag_1",
                GrantId = "grnt_1",
                PrincipalId = "user_1",
                Action = i % 2 == 0 ? "invoke" : "payment.initiated",
                MetadataJson = $$"""{"n":{{i}}}""",
                Timestamp = Start.AddMilliseconds(i * 10),
                PrevHash = prev,
                Status = AuditDraft.Success,
                Hash = "",
            });
            chain.Add(entry);
            prev = entry.Hash;
        }

        return chain;
    }

    public static AuditEntry Copy(
        AuditEntry e, string? action = null, string? metadata = null, string? status = null, string? prevHash = null, long? chainIndex = null) => new()
    {
        Id = e.Id,
        ChainIndex = chainIndex ?? e.ChainIndex,
        DeveloperId = e.DeveloperId,
        AgentId = e.AgentId,
        AgentDid = e.AgentDid,
        GrantId = e.GrantId,
        PrincipalId = e.PrincipalId,
        Action = action ?? e.Action,
        MetadataJson = metadata ?? e.MetadataJson,
        Timestamp = e.Timestamp,
        PrevHash = prevHash ?? e.PrevHash,
        Status = status ?? e.Status,
        Hash = e.Hash,
    };

    /// <summary>The same entry with its stored hash recomputed from its (possibly tampered) fields.</summary>
    public static AuditEntry Rehash(AuditEntry e)
    {
        var hash = AuditHash.Compute(AuditHashInput.From(e));
        return new AuditEntry
        {
            Id = e.Id,
            ChainIndex = e.ChainIndex,
            DeveloperId = e.DeveloperId,
            AgentId = e.AgentId,
            AgentDid = e.AgentDid,
            GrantId = e.GrantId,
            PrincipalId = e.PrincipalId,
            Action = e.Action,
            MetadataJson = e.MetadataJson,
            Timestamp = TimeFormat.ToMillis(e.Timestamp),
            PrevHash = e.PrevHash,
            Status = e.Status,
            Hash = hash,
        };
    }
}
