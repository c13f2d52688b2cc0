namespace Grantex.Core.Principals;

/// <summary>An identity provider authenticated by a SCIM token: whose directory it writes, and the actor its audit entries name.</summary>
public sealed record ScimCaller(string DeveloperId, string TokenId)
{
    public string Actor => "scim:" + TokenId;
}
