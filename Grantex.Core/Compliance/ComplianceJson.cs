using System.Text.Json;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Policies;

namespace Grantex.Core.Compliance;

/// <summary>How grants, audit entries, agents and summaries are written in exports, evidence packs and audit packs.</summary>
internal static class ComplianceJson
{
    /// <summary>
    /// An audit entry with every field its hash covers (the metadata exactly as hashed: canonical JSON), plus its
    /// chain position: enough for anyone to recompute the hash and the links offline.
    /// </summary>
    public static void WriteAuditEntry(Utf8JsonWriter w, AuditEntry e) => WriteAuditEntry(w, e, TimeFormat.Iso(e.Timestamp));

    /// <param name="timestamp">The entry's timestamp in its wire form (when the caller already formatted it).</param>
    public static void WriteAuditEntry(Utf8JsonWriter w, AuditEntry e, string timestamp)
    {
        w.WriteStartObject();
        w.WriteString("entryId", e.Id);
        w.WriteNumber("chainIndex", e.ChainIndex);
        w.WriteString("agentId", e.AgentId);
        w.WriteString("agentDid", e.AgentDid);
        w.WriteString("grantId", e.GrantId);
        w.WriteString("principalId", e.PrincipalId);
        w.WriteString("developerId", e.DeveloperId);
        w.WriteString("action", e.Action);
        w.WritePropertyName("metadata");
        w.WriteRawValue(e.MetadataJson, skipInputValidation: true);
        w.WriteString("timestamp", timestamp);
        WriteNullable(w, "prevHash", e.PrevHash);
        w.WriteString("hash", e.Hash);
        w.WriteString("status", e.Status);
        w.WriteEndObject();
    }

    /// <summary>A grant as in REF's export rows, plus its parent (delegation evidence).</summary>
    public static void WriteGrant(Utf8JsonWriter w, Grant g, DateTime now)
    {
        w.WriteStartObject();
        w.WriteString("grantId", g.Id);
        w.WriteString("agentId", g.AgentId);
        w.WriteString("principalId", g.PrincipalId);
        w.WriteString("developerId", g.DeveloperId);
        WriteStrings(w, "scopes", g.Scopes);
        w.WriteString("status", g.EffectiveStatus(now));
        w.WriteString("issuedAt", TimeFormat.Iso(g.IssuedAt));
        w.WriteString("expiresAt", TimeFormat.Iso(g.ExpiresAt));
        WriteNullable(w, "revokedAt", g.RevokedAt is { } r ? TimeFormat.Iso(r) : null);
        w.WriteNumber("delegationDepth", g.DelegationDepth);
        WriteNullable(w, "parentGrantId", g.ParentGrantId);
        w.WriteEndObject();
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    public static void WriteAgent(Utf8JsonWriter w, Agent a)
    {
        w.WriteStartObject();
        w.WriteString("agentId", a.Id);
        w.WriteString("did", a.Did);
        w.WriteString("developerId", a.DeveloperId);
        w.WriteString("name", a.Name);
        w.WriteString("description", a.Description);
        WriteStrings(w, "scopes", a.Scopes);
        w.WriteString("status", a.Status.ToString().ToLowerInvariant());
        w.WriteString("createdAt", TimeFormat.Iso(a.CreatedAt));
        w.WriteString("updatedAt", TimeFormat.Iso(a.UpdatedAt));
        w.WriteEndObject();
    }

    /// <summary>A policy in the wire format of <c>GET /v1/policies</c> (reference §7.1, plus <c>timeZone</c>), unset conditions as null.</summary>
    public static void WritePolicy(Utf8JsonWriter w, Policy p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("name", p.Name);
        w.WriteString("effect", PolicyService.EffectName(p.Effect));
        w.WriteNumber("priority", p.Priority);
        WriteNullable(w, "agentId", p.AgentId);
        WriteNullable(w, "principalId", p.PrincipalId);
        if (p.Scopes is null)
        {
            w.WriteNull("scopes");
        }
        else
        {
            WriteStrings(w, "scopes", p.Scopes);
        }

        WriteNullable(w, "timeOfDayStart", p.TimeOfDayStart);
        WriteNullable(w, "timeOfDayEnd", p.TimeOfDayEnd);
        WriteNullable(w, "timeZone", p.TimeZone);
        w.WriteString("createdAt", TimeFormat.Iso(p.CreatedAt));
        w.WriteString("updatedAt", TimeFormat.Iso(p.UpdatedAt));
        w.WriteEndObject();
    }

    /// <summary>The summary counts (the evidence pack's <c>summary</c>, without the time fields).</summary>
    public static void WriteSummaryCounts(Utf8JsonWriter w, ComplianceSummary s)
    {
        w.WriteStartObject("agents");
        w.WriteNumber("total", s.Agents.Total);
        w.WriteNumber("active", s.Agents.Active);
        w.WriteNumber("suspended", s.Agents.Suspended);
        w.WriteNumber("revoked", s.Agents.Revoked);
        w.WriteEndObject();
        w.WriteStartObject("grants");
        w.WriteNumber("total", s.Grants.Total);
        w.WriteNumber("active", s.Grants.Active);
        w.WriteNumber("revoked", s.Grants.Revoked);
        w.WriteNumber("expired", s.Grants.Expired);
        w.WriteEndObject();
        w.WriteStartObject("auditEntries");
        w.WriteNumber("total", s.AuditEntries.Total);
        w.WriteNumber("success", s.AuditEntries.Success);
        w.WriteNumber("failure", s.AuditEntries.Failure);
        w.WriteNumber("blocked", s.AuditEntries.Blocked);
        w.WriteEndObject();
        w.WriteStartObject("policies");
        w.WriteNumber("total", s.Policies.Total);
        w.WriteEndObject();
        w.WriteString("plan", s.Plan);
    }

    /// <summary>REF's <c>chainIntegrity</c> fields, then ours: the sentence, the window's edges and every checkpoint finding.</summary>
    public static void WriteChainIntegrity(Utf8JsonWriter w, ChainIntegrity c)
    {
        w.WriteBoolean("valid", c.Valid);
        w.WriteNumber("checkedEntries", c.CheckedEntries);
        WriteNullable(w, "firstBrokenAt", c.FirstBrokenAt);
        WriteNullable(w, "reason", c.Reason);
        WriteNullable(w, "detail", c.Detail);
        WriteNullable(w, "headHash", c.Walk.HeadHash);
        w.WriteNumber("entries", c.Entries);
        w.WriteBoolean("firstLinkChecked", c.FirstLinkChecked);
        WriteEdge(w, "first", c.First);
        WriteEdge(w, "last", c.Last);
        w.WriteStartArray("checkpoints");
        foreach (var f in c.Checkpoints)
        {
            WriteFinding(w, f);
        }

        w.WriteEndArray();
    }

    public static void WriteFinding(Utf8JsonWriter w, CheckpointFinding f)
    {
        w.WriteStartObject();
        WriteNullable(w, "checkpointId", f.CheckpointId);
        if (f.Count is { } count)
        {
            w.WriteNumber("count", count);
        }
        else
        {
            w.WriteNull("count");
        }

        WriteNullable(w, "headHash", f.HeadHash);
        WriteNullable(w, "headEntryId", f.HeadEntryId);
        WriteNullable(w, "signedAt", f.SignedAt is { } at ? TimeFormat.Iso(at) : null);
        WriteNullable(w, "kid", f.Kid);
        w.WriteString("outcome", f.OutcomeName);
        w.WriteString("detail", f.Detail);
        w.WriteEndObject();
    }

    private static void WriteEdge(Utf8JsonWriter w, string name, ChainWindowEdge? e)
    {
        if (e is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("entryId", e.EntryId);
        w.WriteNumber("chainIndex", e.ChainIndex);
        WriteNullable(w, "prevHash", e.PrevHash);
        w.WriteString("hash", e.Hash);
        w.WriteString("timestamp", TimeFormat.Iso(e.Timestamp));
        w.WriteEndObject();
    }

    public static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
