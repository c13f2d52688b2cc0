using Grantex.Core.Common;

namespace Grantex.Core.Principals;

/// <summary>Refusals in SCIM's terms: the error's code is the <c>scimType</c> (RFC 7644 §3.12), the kind gives the status.</summary>
public static class ScimErrors
{
    public static GxError Invalid(string detail, params string[] fields) => new(GxErrorKind.Validation, ScimRules.InvalidValue, detail) { Fields = fields };

    public static GxError Syntax(string detail) => new(GxErrorKind.Validation, ScimRules.InvalidSyntax, detail);

    public static GxError Path(string detail) => new(GxErrorKind.Validation, ScimRules.InvalidPath, detail);

    public static GxError Filter(string detail) => new(GxErrorKind.Validation, ScimRules.InvalidFilter, detail);

    public static GxError Mutability(string detail) => new(GxErrorKind.Validation, ScimRules.Mutability, detail);

    public static GxError NoTarget(string detail) => new(GxErrorKind.Validation, ScimRules.NoTarget, detail);

    public static GxError Conflict(string detail) => new(GxErrorKind.Conflict, ScimRules.Uniqueness, detail);

    public static GxError UserNotFound() => GxError.NotFound("User not found");
}
