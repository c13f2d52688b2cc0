using Grantex.Core.Audit;
using Grantex.Core.Developers;

namespace Grantex.Console.Components.Shared;

/// <summary>Developer names for lists that span developers (a server has a handful, read once per call).</summary>
public sealed class DeveloperNames(DeveloperService developers)
{
    public const string ConsoleChainName = "Console operators";

    public async Task<IReadOnlyDictionary<string, string>> GetAsync(CancellationToken cancellationToken = default)
    {
        var all = await developers.ListAsync(cancellationToken);
        var names = all.ToDictionary(d => d.Id, d => d.Name, StringComparer.Ordinal);
        names[AuditChains.Console] = ConsoleChainName;
        return names;
    }
}
