namespace Grantex.Core.Principals;

/// <summary>Limits and the SCIM error types (RFC 7644 §3.12) the principal directory answers with.</summary>
public static class ScimRules
{
    public const int MaxLabelLength = 200;

    /// <summary>The same bound as a <c>principalId</c> (the user name is one).</summary>
    public const int MaxUserNameLength = 256;

    public const int MaxTextLength = 256;

    public const int MaxEmails = 20;

    public const int MaxEmailsJsonLength = 8192;

    /// <summary>The list page size when none is asked for, and the most a page holds.</summary>
    public const int DefaultCount = 100;

    public const int MaxCount = 200;

    public const int MaxPatchOperations = 100;

    // scimType values (RFC 7644 §3.12). Errors carry them as their machine code.
    public const string Uniqueness = "uniqueness";
    public const string InvalidValue = "invalidValue";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string InvalidFilter = "invalidFilter";
    public const string NoTarget = "noTarget";
    public const string Mutability = "mutability";

    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        Uniqueness, InvalidValue, InvalidSyntax, InvalidPath, InvalidFilter, NoTarget, Mutability,
    };
}
