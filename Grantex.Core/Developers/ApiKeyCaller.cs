namespace Grantex.Core.Developers;

/// <summary>
/// Who is calling: the developer and the API key they used — or, on the OAuth front, the developer's client acting
/// under it (<see cref="ForOAuthClient"/>: no key, the client as actor).
/// </summary>
public sealed record ApiKeyCaller(DeveloperInfo Developer, string KeyId)
{
    public string Actor { get; init; } = "api-key:" + KeyId;

    /// <summary>A registered OAuth client (an agent) of <paramref name="developer"/>, audited as <c>oauth-client:&lt;id&gt;</c>.</summary>
    public static ApiKeyCaller ForOAuthClient(DeveloperInfo developer, string clientId) => new(developer, "") { Actor = "oauth-client:" + clientId };
}
