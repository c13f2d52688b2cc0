using Grantex.Core.Persistence;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Console.Components.Shared;

/// <summary>
/// The names behind the ids of a page of audit entries: developers, agents (deleted ones included) and console
/// operators (their display names), read once per page so every entry can be told as a sentence.
/// Every read has a context of its own from the factory, never the scope's <see cref="GrantexDbContext"/> (the one
/// Identity's stores use): two components, or two renders of one, may ask at once, and a prerendered page's scope
/// is the request's, which ends with the response (docs/decisions/console-db-contexts.md).
/// </summary>
public sealed class AuditNames(DeveloperNames developers, AgentService agents, IDbContextFactory<GrantexDbContext> factory)
{
    public async Task<AuditNameBook> ForAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        var agentNames = await agents.GetNamesAsync(entries.Where(e => e.AgentId.Length > 0).Select(e => e.AgentId), cancellationToken);
        var operatorNames = entries.Select(e => e.Actor).OfType<string>()
            .Where(a => a.StartsWith(AuditSentence.ConsolePrefix, StringComparison.Ordinal))
            .Select(a => a[AuditSentence.ConsolePrefix.Length..]).Distinct(StringComparer.Ordinal).ToList();
        var operators = operatorNames.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await OperatorNamesAsync(operatorNames, cancellationToken);
        return new AuditNameBook(await developers.GetAsync(cancellationToken), agentNames, operators);
    }

    private async Task<Dictionary<string, string>> OperatorNamesAsync(List<string> userNames, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => userNames.Contains(u.UserName!))
            .ToDictionaryAsync(u => u.UserName!, u => string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName! : u.DisplayName!, StringComparer.Ordinal, cancellationToken);
    }
}

/// <summary>Names for one page of audit entries; an id without a known name is shown as itself.</summary>
public sealed record AuditNameBook(
    IReadOnlyDictionary<string, string> Developers,
    IReadOnlyDictionary<string, string> Agents,
    IReadOnlyDictionary<string, string> Operators)
{
    public static readonly AuditNameBook Empty = new(new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>());

    public string Developer(string id) => Developers.GetValueOrDefault(id, id);

    public string? Agent(string id) => id.Length == 0 ? null : Agents.GetValueOrDefault(id);

    public string Operator(string userName) => Operators.GetValueOrDefault(userName, userName);
}
