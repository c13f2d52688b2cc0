using System.Globalization;
using System.Text.Json;
using Grantex.Core.Audit;
using Grantex.Core.IO;

namespace Grantex.Core.Compliance;

/// <summary>
/// The chain inside a pack, read line by line from <c>audit-entries.jsonl</c>: every hash recomputed from the fields
/// as written (timestamp and metadata exactly as hashed), links, gaps, order, and checkpoint consistency.
/// </summary>
internal sealed class PackChainCheck(AuditPackManifest manifest, IEnumerable<CheckpointReading> checkpoints)
{
    private readonly WindowVerifier _window = new(manifest.Since is null, checkpoints, manifest.DeveloperId, manifest.SinceTime, manifest.UntilTime);
    private readonly bool _hasCheckpoints = checkpoints.Any();
    private string? _malformed;
    private int _malformedCount;
    private string? _foreign;
    private long? _previous;
    private long? _gapExpected;
    private bool _gapRefilled;
    private string? _outOfOrder;

    public long Lines { get; private set; }

    public long Entries { get; private set; }

    public async Task ReadAsync(JsonLinesReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            Lines++;
            if (!TryParse(line, out var entry, out var hash, out var error))
            {
                _malformedCount++;
                _malformed ??= $"Line {Lines} of {AuditPackFormat.AuditEntries} is not a complete audit entry ({error}).";
                continue;
            }

            Entries++;
            if (entry.DeveloperId != manifest.DeveloperId)
            {
                _foreign ??= $"Entry {entry.Id} belongs to developer {entry.DeveloperId}, not to the pack's developer {manifest.DeveloperId}.";
            }

            TrackOrder(entry);
            _window.Feed(entry, hash);
        }
    }

    public void Report(Action<string, string> problem, List<string> notes, List<string> passed)
    {
        if (_malformed is not null)
        {
            problem("entry_malformed", _malformed + (_malformedCount > 1 ? $" {_malformedCount - 1} more lines are unreadable too." : ""));
        }

        if (_foreign is not null)
        {
            problem("entry_developer", _foreign);
        }

        var integrity = _window.Finish();
        var walk = integrity.Walk;
        var reordered = walk.Reason == "missing" && _gapRefilled;
        if (_outOfOrder is not null)
        {
            problem("chain_order", _outOfOrder);
        }

        if (!walk.Valid && !reordered)
        {
            var hint = walk.Reason switch
            {
                "content" => " An entry was changed.",
                "missing" => " An entry was deleted.",
                _ => " An entry was changed, moved or deleted.",
            };
            problem("chain_" + walk.Reason, $"The chain is broken at entry {walk.FirstBrokenAt} ({walk.Reason}): {walk.Detail}{hint}");
        }
        else if (walk.Valid && _outOfOrder is null)
        {
            var range = integrity.First is { } f && integrity.Last is { } l ? $" (chain positions {f.ChainIndex}–{l.ChainIndex})" : "";
            passed.Add($"Chain: {Entries} entries{range}, each recomputes to its hash and links to the one before.");
        }

        if (manifest.Since is not null && integrity.First is { } first)
        {
            notes.Add($"The window starts mid-chain (since {manifest.Since}) at position {first.ChainIndex}: the first entry's link to its predecessor "
                + $"(prevHash {first.PrevHash ?? "null"}) is recorded but lies outside the pack, so it is not checked.");
        }

        foreach (var finding in integrity.Checkpoints)
        {
            if (finding.IsProblem)
            {
                problem("checkpoint_" + finding.OutcomeName, finding.Detail);
            }
            else if (finding.Outcome == CheckpointOutcome.Consistent)
            {
                passed.Add(finding.Detail);
            }
            else
            {
                notes.Add(finding.Detail);
            }
        }

        if (!_hasCheckpoints)
        {
            notes.Add("No checkpoint was given or found in the pack: entries cut from the end of the chain before the pack was made would not show.");
        }
    }

    private void TrackOrder(AuditEntry entry)
    {
        if (_previous is { } previous)
        {
            if (entry.ChainIndex <= previous)
            {
                _outOfOrder ??= $"Entry {entry.Id} (chain position {entry.ChainIndex}) comes after position {previous}: the entries are out of order (reordered).";
            }
            else if (entry.ChainIndex > previous + 1)
            {
                _gapExpected ??= previous + 1;
            }
        }

        if (_gapExpected == entry.ChainIndex)
        {
            _gapRefilled = true;
        }

        _previous = entry.ChainIndex;
    }

    private static bool TryParse(ReadOnlyMemory<byte> line, out AuditEntry entry, out string hash, out string error)
    {
        entry = null!;
        hash = "";
        try
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }

            string? Field(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var id = Field("entryId");
            var agentId = Field("agentId");
            var agentDid = Field("agentDid");
            var grantId = Field("grantId");
            var principalId = Field("principalId");
            var developerId = Field("developerId");
            var action = Field("action");
            var timestamp = Field("timestamp");
            var stored = Field("hash");
            var status = Field("status");
            if (id is null || agentId is null || agentDid is null || grantId is null || principalId is null || developerId is null
                || action is null || timestamp is null || stored is null || status is null)
            {
                error = "a field is missing or not a string";
                return false;
            }

            if (!e.TryGetProperty("chainIndex", out var index) || !index.TryGetInt64(out var chainIndex)
                || !e.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
                || !e.TryGetProperty("prevHash", out var prev) || prev.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
                || !DateTime.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                error = "chainIndex, metadata, prevHash or timestamp is missing or malformed";
                return false;
            }

            var prevHash = prev.ValueKind == JsonValueKind.Null ? null : prev.GetString();
            var metadataText = metadata.GetRawText();
            hash = AuditHash.Compute(new AuditHashInput(id, agentId, agentDid, grantId, principalId, developerId, action, metadataText, timestamp, prevHash, status));
            entry = new AuditEntry
            {
                Id = id,
                ChainIndex = chainIndex,
                DeveloperId = developerId,
                AgentId = agentId,
                AgentDid = agentDid,
                GrantId = grantId,
                PrincipalId = principalId,
                Action = action,
                MetadataJson = metadataText,
                Timestamp = time,
                PrevHash = prevHash,
                Hash = stored,
                Status = status,
            };
            error = "";
            return true;
        }
        catch (JsonException)
        {
            error = "not valid JSON";
            return false;
        }
    }
}
