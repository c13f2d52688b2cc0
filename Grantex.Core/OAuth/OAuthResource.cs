namespace Grantex.Core.OAuth;

/// <summary>
/// A protected resource (an MCP server's URL) a developer lets its clients ask tokens for (RFC 8707): the
/// <c>resource</c> at authorize must be one of these, and it becomes the token's <c>aud</c>.
/// </summary>
public sealed class OAuthResource
{
    public required string DeveloperId { get; init; }

    public required string Uri { get; init; }

    public DateTime CreatedAt { get; init; }
}
