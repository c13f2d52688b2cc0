namespace Grantex.Core.Principals;

/// <summary>One entry of a SCIM user's <c>emails</c> (RFC 7643 §4.1.2): the address, its kind and whether it is primary.</summary>
public sealed record ScimEmail(string Value, string? Type = null, bool? Primary = null);
