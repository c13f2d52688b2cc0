using System.Text.Json;
using System.Text.RegularExpressions;
using Grantex.Core.Common;

namespace Grantex.Core.Principals;

/// <summary>
/// The one filter form identity providers use to find a user before creating it (RFC 7644 §3.4.2.2):
/// <c>userName eq "…"</c>, <c>externalId eq "…"</c> or <c>id eq "…"</c> (attribute and operator in any case, the value a
/// JSON string). Any other expression is refused with <c>invalidFilter</c> rather than silently ignored.
/// </summary>
public sealed partial record ScimFilter(string Attribute, string Value)
{
    public static Result<ScimFilter?> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return Result<ScimFilter?>.Ok(null);
        }

        var match = Expression().Match(filter);
        if (!match.Success || filter.Length > 600)
        {
            return ScimErrors.Filter("Only userName eq \"…\", externalId eq \"…\" and id eq \"…\" are supported.");
        }

        string value;
        try
        {
            value = JsonSerializer.Deserialize<string>(match.Groups["value"].Value) ?? "";
        }
        catch (JsonException)
        {
            return ScimErrors.Filter("The filter value must be a double-quoted string.");
        }

        return new ScimFilter(match.Groups["attr"].Value.ToLowerInvariant() switch
        {
            "username" => "userName",
            "externalid" => "externalId",
            _ => "id",
        }, value);
    }

    [GeneratedRegex("""^\s*(?:urn:ietf:params:scim:schemas:core:2\.0:User:)?(?<attr>userName|externalId|id)\s+eq\s+(?<value>"(?:[^"\\]|\\.)*")\s*$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Expression();
}
