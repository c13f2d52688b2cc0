namespace Grantex.Core.Developers;

/// <summary>Who is calling: the developer and the API key they used.</summary>
public sealed record ApiKeyCaller(DeveloperInfo Developer, string KeyId)
{
    public string Actor => "api-key:" + KeyId;
}
