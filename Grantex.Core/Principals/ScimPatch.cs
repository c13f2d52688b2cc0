using System.Text.Json;
using System.Text.RegularExpressions;
using Grantex.Core.Common;

namespace Grantex.Core.Principals;

/// <summary>
/// SCIM PATCH (RFC 7644 §3.5.2) over the attributes a user has here, in the shapes identity providers send:
/// <c>add</c>/<c>replace</c>/<c>remove</c> (any case); a path (<c>active</c>, <c>userName</c>, <c>displayName</c>,
/// <c>externalId</c>, <c>name</c>, <c>name.givenName</c>, <c>name.familyName</c>, <c>emails</c>,
/// <c>emails[type eq "work"].value</c>, <c>emails[primary eq true].value</c>) or none with an object of attributes
/// (Okta's <c>{"op":"replace","value":{"active":false}}</c>); Entra's string booleans (<c>"False"</c>). Extension
/// attributes (<c>urn:…</c>) are accepted and not stored. Anything else is refused whole: nothing is applied.
/// </summary>
public static partial class ScimPatch
{
    private static readonly HashSet<string> Attributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "active", "username", "displayname", "externalid", "name", "name.givenname", "name.familyname", "emails",
    };

    public static bool IsKnownAttribute(string name) => Attributes.Contains(name);

    /// <summary>Applies the <c>Operations</c> of a PatchOp body to <paramref name="input"/>; all or nothing.</summary>
    public static Result<ScimUserInput> Apply(ScimUserInput input, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !TryGet(body, "Operations", out var operations) || operations.ValueKind != JsonValueKind.Array)
        {
            return ScimErrors.Syntax("The body must be a PatchOp with an Operations array.");
        }

        if (operations.GetArrayLength() is 0 or > ScimRules.MaxPatchOperations)
        {
            return ScimErrors.Syntax($"Operations must hold 1 to {ScimRules.MaxPatchOperations} operations.");
        }

        foreach (var operation in operations.EnumerateArray())
        {
            var applied = ApplyOne(input, operation);
            if (!applied.IsSuccess)
            {
                return applied.Error;
            }

            input = applied.Value;
        }

        return input;
    }

    private static Result<ScimUserInput> ApplyOne(ScimUserInput input, JsonElement operation)
    {
        if (operation.ValueKind != JsonValueKind.Object || !TryGet(operation, "op", out var opElement) || opElement.ValueKind != JsonValueKind.String)
        {
            return ScimErrors.Syntax("Every operation needs an op: add, replace or remove.");
        }

        var op = opElement.GetString()!.ToLowerInvariant();
        if (op is not ("add" or "replace" or "remove"))
        {
            return ScimErrors.Syntax($"Unsupported op '{opElement.GetString()}'; use add, replace or remove.");
        }

        string? path = null;
        if (TryGet(operation, "path", out var pathElement) && pathElement.ValueKind != JsonValueKind.Null)
        {
            if (pathElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(pathElement.GetString()))
            {
                return ScimErrors.Path("path must be a non-empty string.");
            }

            path = pathElement.GetString()!.Trim();
        }

        var hasValue = TryGet(operation, "value", out var value);
        if (op == "remove")
        {
            return path is null ? ScimErrors.NoTarget("remove needs a path.") : Remove(input, path);
        }

        if (!hasValue)
        {
            return ScimErrors.Invalid($"{op} needs a value.");
        }

        if (path is not null)
        {
            return op == "add" && path.Equals("emails", StringComparison.OrdinalIgnoreCase) ? AddEmails(input, value) : Set(input, path, value);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return ScimErrors.Invalid($"{op} without a path needs an object of attributes as its value.");
        }

        foreach (var property in value.EnumerateObject())
        {
            var applied = property.Name.Equals("schemas", StringComparison.OrdinalIgnoreCase)
                ? input
                : op == "add" && property.Name.Equals("emails", StringComparison.OrdinalIgnoreCase) ? AddEmails(input, property.Value) : Set(input, property.Name, property.Value);
            if (!applied.IsSuccess)
            {
                return applied.Error;
            }

            input = applied.Value;
        }

        return input;
    }

    /// <summary>Sets one attribute (a path or a top-level name) to <paramref name="value"/>.</summary>
    public static Result<ScimUserInput> Set(ScimUserInput input, string path, JsonElement value)
    {
        if (path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            // Core User attributes addressed with their schema URN prefix; extension attributes are not stored.
            const string core = "urn:ietf:params:scim:schemas:core:2.0:User:";
            return path.StartsWith(core, StringComparison.OrdinalIgnoreCase) ? Set(input, path[core.Length..], value) : input;
        }

        var email = EmailFilter().Match(path);
        if (email.Success)
        {
            var text = Text(value, "emails.value");
            return text.IsSuccess ? SetEmail(input, email, text.Value) : text.Error;
        }

        switch (path.ToLowerInvariant())
        {
            case "active":
                var active = Bool(value);
                return active is null ? ScimErrors.Invalid("active must be true or false.", "active") : input with { Active = active.Value };
            case "username":
                return WithText(value, "userName", v => input with { UserName = v });
            case "displayname":
                return WithText(value, "displayName", v => input with { DisplayName = v });
            case "externalid":
                return WithText(value, "externalId", v => input with { ExternalId = v });
            case "name.givenname":
                return WithText(value, "name.givenName", v => input with { GivenName = v });
            case "name.familyname":
                return WithText(value, "name.familyName", v => input with { FamilyName = v });
            case "name":
                return Name(input, value);
            case "emails":
                var emails = Emails(value);
                return emails.IsSuccess ? input with { Emails = emails.Value } : emails.Error;
            case "id" or "meta" or "schemas":
                return ScimErrors.Mutability($"{path} cannot be changed.");
            default:
                return ScimErrors.Path($"Unsupported attribute path '{path}'.");
        }
    }

    private static Result<ScimUserInput> Remove(ScimUserInput input, string path)
    {
        if (path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            return input;
        }

        var email = EmailFilter().Match(path);
        if (email.Success)
        {
            var (type, primary) = (email.Groups["type"].Success ? email.Groups["type"].Value : null, email.Groups["primary"].Success);
            return input with { Emails = [.. input.Emails.Where(e => !Matches(e, type, primary))] };
        }

        return path.ToLowerInvariant() switch
        {
            "displayname" => input with { DisplayName = null },
            "externalid" => input with { ExternalId = null },
            "name" => input with { GivenName = null, FamilyName = null },
            "name.givenname" => input with { GivenName = null },
            "name.familyname" => input with { FamilyName = null },
            "emails" => input with { Emails = [] },
            "username" or "active" => ScimErrors.Invalid($"{path} is required and cannot be removed.", path),
            "id" or "meta" or "schemas" => ScimErrors.Mutability($"{path} cannot be changed."),
            _ => ScimErrors.Path($"Unsupported attribute path '{path}'."),
        };
    }

    private static Result<ScimUserInput> Name(ScimUserInput input, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return input with { GivenName = null, FamilyName = null };
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return ScimErrors.Invalid("name must be an object with givenName and familyName.", "name");
        }

        foreach (var part in value.EnumerateObject())
        {
            var key = part.Name.ToLowerInvariant();
            if (key is not ("givenname" or "familyname"))
            {
                continue; // formatted, middleName, honorific…: not stored
            }

            var applied = Set(input, "name." + key, part.Value);
            if (!applied.IsSuccess)
            {
                return applied.Error;
            }

            input = applied.Value;
        }

        return input;
    }

    private static Result<ScimUserInput> AddEmails(ScimUserInput input, JsonElement value)
    {
        var added = Emails(value.ValueKind == JsonValueKind.Object ? JsonSerializer.SerializeToElement(new[] { value }) : value);
        if (!added.IsSuccess)
        {
            return added.Error;
        }

        var merged = input.Emails.Where(e => !added.Value.Any(a => string.Equals(a.Value, e.Value, StringComparison.OrdinalIgnoreCase))).Concat(added.Value).ToList();
        return input with { Emails = merged };
    }

    private static Result<ScimUserInput> SetEmail(ScimUserInput input, Match filter, string address)
    {
        var type = filter.Groups["type"].Success ? filter.Groups["type"].Value : null;
        var primary = filter.Groups["primary"].Success;
        var emails = input.Emails.ToList();
        var index = emails.FindIndex(e => Matches(e, type, primary));
        if (index >= 0)
        {
            emails[index] = emails[index] with { Value = address };
        }
        else
        {
            emails.Add(new ScimEmail(address, type, primary ? true : null));
        }

        return input with { Emails = emails };
    }

    private static bool Matches(ScimEmail email, string? type, bool primary) =>
        primary ? email.Primary == true : string.Equals(email.Type, type, StringComparison.OrdinalIgnoreCase);

    private static Result<IReadOnlyList<ScimEmail>> Emails(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Result<IReadOnlyList<ScimEmail>>.Ok([]);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return ScimErrors.Invalid("emails must be an array of {value, type?, primary?}.", "emails");
        }

        var list = new List<ScimEmail>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !TryGet(item, "value", out var address) || address.ValueKind != JsonValueKind.String)
            {
                return ScimErrors.Invalid("Every email needs a string value.", "emails");
            }

            var type = TryGet(item, "type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var primary = TryGet(item, "primary", out var p) ? Bool(p) : null;
            list.Add(new ScimEmail(address.GetString()!, type, primary));
        }

        return list;
    }

    private static Result<ScimUserInput> WithText(JsonElement value, string name, Func<string?, ScimUserInput> apply)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return apply(null);
        }

        var text = Text(value, name);
        return text.IsSuccess ? apply(text.Value) : text.Error;
    }

    private static Result<string> Text(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : ScimErrors.Invalid($"{name} must be a string.", name);

    /// <summary>A JSON boolean, or the strings "true"/"false" in any case (Entra ID sends "False").</summary>
    private static bool? Bool(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
        _ => null,
    };

    /// <summary>A member by name without case (SCIM attribute names are case-insensitive).</summary>
    internal static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    [GeneratedRegex("""^emails\[\s*(?:type\s+eq\s+"(?<type>[^"]{1,64})"|primary\s+eq\s+(?<primary>true))\s*\]\.value$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EmailFilter();
}
