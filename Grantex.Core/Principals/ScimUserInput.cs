using System.Text.Json;
using Grantex.Core.Common;

namespace Grantex.Core.Principals;

/// <summary>
/// A SCIM user as POST and PUT send it (RFC 7643 §4.1): every writable attribute, absent ones null (PUT is a full
/// replace, so an absent optional attribute is cleared). Attribute names are matched without case, as SCIM requires.
/// </summary>
public sealed record ScimUserInput(
    string? UserName,
    string? ExternalId,
    string? DisplayName,
    string? GivenName,
    string? FamilyName,
    bool Active,
    IReadOnlyList<ScimEmail> Emails)
{
    /// <summary>The input that leaves <paramref name="user"/> as it is (the starting point of a PATCH).</summary>
    public static ScimUserInput From(ScimUser user) =>
        new(user.UserName, user.ExternalId, user.DisplayName, user.GivenName, user.FamilyName, user.Active, user.Emails);

    /// <summary>Reads a User resource body; unknown attributes (and extension schemas) are ignored, read-only ones too.</summary>
    public static Result<ScimUserInput> Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ScimErrors.Syntax("The body must be a SCIM User resource (a JSON object).");
        }

        var input = new ScimUserInput(null, null, null, null, null, true, []);
        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name.ToLowerInvariant();
            if (name is "schemas" or "id" or "meta" || name.StartsWith("urn:", StringComparison.Ordinal) || !ScimPatch.IsKnownAttribute(name))
            {
                continue;
            }

            var applied = ScimPatch.Set(input, property.Name, property.Value);
            if (!applied.IsSuccess)
            {
                return applied.Error;
            }

            input = applied.Value;
        }

        return input;
    }

    /// <summary>The rules every stored user meets (after POST, PUT or PATCH): a user name, bounded text, bounded emails.</summary>
    public GxError? Check()
    {
        if (string.IsNullOrWhiteSpace(UserName))
        {
            return ScimErrors.Invalid("userName is required.", "userName");
        }

        if (!Validate.Text(UserName, ScimRules.MaxUserNameLength))
        {
            return ScimErrors.Invalid($"userName must be 1 to {ScimRules.MaxUserNameLength} characters without control characters.", "userName");
        }

        foreach (var (name, value) in new[] { ("externalId", ExternalId), ("displayName", DisplayName), ("name.givenName", GivenName), ("name.familyName", FamilyName) })
        {
            if (value is not null && !Validate.Text(value, ScimRules.MaxTextLength))
            {
                return ScimErrors.Invalid($"{name} must be 1 to {ScimRules.MaxTextLength} characters.", name);
            }
        }

        if (Emails.Count > ScimRules.MaxEmails)
        {
            return ScimErrors.Invalid($"A user may have at most {ScimRules.MaxEmails} emails.", "emails");
        }

        foreach (var email in Emails)
        {
            if (!Validate.Text(email.Value, ScimRules.MaxTextLength) || (email.Type is not null && !Validate.Text(email.Type, 64)))
            {
                return ScimErrors.Invalid("Every email needs a value of 1 to 256 characters (and a type of at most 64).", "emails");
            }
        }

        return null;
    }
}
