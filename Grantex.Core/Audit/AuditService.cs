using System.Text.Json;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Audit;

/// <summary>The audit log: appends through the single writer, reads in chain order, chain verification.</summary>
public sealed partial class AuditService(IDbContextFactory<GrantexDbContext> factory, WriteQueue writes)
{
    public const int MaxMetadataBytes = 16 * 1024;
    private static readonly string[] StatusValues = [AuditDraft.Success, AuditDraft.Failure, AuditDraft.Blocked];

    public async Task<Result<AuditEntry>> LogAsync(ApiKeyCaller caller, AuditLogInput input, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(input.AgentId) || string.IsNullOrEmpty(input.AgentDid) || string.IsNullOrEmpty(input.GrantId)
            || string.IsNullOrEmpty(input.PrincipalId) || string.IsNullOrEmpty(input.Action))
        {
            return GxError.Required(("agentId", input.AgentId), ("agentDid", input.AgentDid), ("grantId", input.GrantId), ("principalId", input.PrincipalId), ("action", input.Action));
        }

        if (input.AgentId.Length > 256 || input.AgentDid.Length > 300 || input.GrantId.Length > 256 || input.PrincipalId.Length > 256 || input.Action.Length > 256)
        {
            return GxError.BadRequest("agentId, grantId, principalId and action are at most 256 characters; agentDid at most 300.");
        }

        if (AuditActions.Reserved(input.Action) is { } reserved)
        {
            // Entries the server writes and entries a client posts must never be confused: the refusal is audited
            // under the server's own name (with the catalogued name it imitated, never the raw client text).
            var refusal = AuditDraft.For(new AuditSubject(caller.Developer.Id), AuditActions.ReservedActionRefused, caller.Actor,
                AuditMetadata.With("reservedAction", reserved.Name).And("exactName", string.Equals(input.Action, reserved.Name, StringComparison.Ordinal)));
            await writes.AppendAsync(ctx => ctx.AppendAuditAsync(refusal), cancellationToken);
            return GxError.BadRequest(
                $"action \"{reserved.Name}\" is reserved: the server writes entries under its own action names, and they cannot be " +
                $"logged through /v1/audit/log (compared without case, spaces or invisible characters). Use a name of your own, " +
                $"e.g. \"app.{reserved.Name.Replace('.', '_')}\". Reserved names: {string.Join(", ", AuditActions.ReservedNames)}.");
        }

        var status = input.Status ?? AuditDraft.Success;
        if (!StatusValues.Contains(status))
        {
            return GxError.BadRequest("status must be one of success, failure, blocked.", "status");
        }

        string metadata;
        if (input.Metadata is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } m)
        {
            metadata = "{}";
        }
        else if (m.ValueKind != JsonValueKind.Object)
        {
            return GxError.BadRequest("metadata must be an object.", "metadata");
        }
        else if (!TryCanonicalize(m, out metadata))
        {
            return GxError.BadRequest("metadata contains a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair).", "metadata");
        }
        else if (metadata.Length > MaxMetadataBytes)
        {
            return GxError.BadRequest($"metadata is larger than {MaxMetadataBytes / 1024} KB.", "metadata");
        }

        var draft = new AuditDraft(caller.Developer.Id, input.AgentId, input.AgentDid, input.GrantId, input.PrincipalId, input.Action,
            metadata, status, caller.Actor);
        return await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }

    private static bool TryCanonicalize(JsonElement metadata, out string canonical)
    {
        try
        {
            canonical = AuditHash.Canonicalize(metadata);
            return true;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json cannot read a string holding a lone surrogate; such metadata cannot be hashed as REF does.
            canonical = "";
            return false;
        }
    }

    /// <summary>Entries in chain order, keyset-paginated on the chain position.</summary>
    public async Task<Page<AuditEntry>> ListAsync(string developerId, AuditFilter filter, Cursor? after, int size, bool newestFirst = false, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, developerId, filter);
        if (after is { } c)
        {
            query = newestFirst ? query.Where(e => e.ChainIndex < c.Key) : query.Where(e => e.ChainIndex > c.Key);
        }

        query = newestFirst ? query.OrderByDescending(e => e.ChainIndex) : query.OrderBy(e => e.ChainIndex);
        var rows = await query.Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? new Cursor(rows[size - 1].ChainIndex, rows[size - 1].Id).Encode() : null;
        return new Page<AuditEntry>(rows.Take(size).ToList(), next);
    }

    public async Task<AuditEntry?> GetAsync(string developerId, string entryId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId && e.DeveloperId == developerId, cancellationToken);
    }

    /// <summary>
    /// Walks the developer's whole chain in order, streaming (constant memory), and names the first broken entry.
    /// Long chains are walked in one segment per core at once (<see cref="ChainSegments"/>).
    /// </summary>
    public Task<ChainVerification> VerifyChainAsync(string developerId, CancellationToken cancellationToken = default) =>
        ChainSegments.VerifyAsync(factory, developerId, cancellationToken);

    internal static IQueryable<AuditEntry> Filtered(GrantexDbContext db, string developerId, AuditFilter filter) =>
        Filtered(db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == developerId), filter);

    internal static IQueryable<AuditEntry> Filtered(IQueryable<AuditEntry> query, AuditFilter filter)
    {
        if (filter.AgentId is not null)
        {
            query = query.Where(e => e.AgentId == filter.AgentId);
        }

        if (filter.GrantId is not null)
        {
            query = query.Where(e => e.GrantId == filter.GrantId);
        }

        if (filter.PrincipalId is not null)
        {
            query = query.Where(e => e.PrincipalId == filter.PrincipalId);
        }

        if (filter.Action is not null)
        {
            query = query.Where(e => e.Action == filter.Action);
        }

        if (filter.Status is not null)
        {
            query = query.Where(e => e.Status == filter.Status);
        }

        if (filter.Since is { } since)
        {
            query = query.Where(e => e.Timestamp >= since);
        }

        if (filter.Until is { } until)
        {
            query = query.Where(e => e.Timestamp <= until);
        }

        return query;
    }
}
