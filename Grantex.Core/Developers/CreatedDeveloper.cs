namespace Grantex.Core.Developers;

/// <summary>A new developer and its API key, which is shown this once and never again.</summary>
public sealed record CreatedDeveloper(DeveloperInfo Developer, string ApiKey);
