using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Core.Common;
using Grantex.Core.Policies;

namespace Grantex.Console.Api;

/// <summary>
/// Reads a policy body for create and PATCH: tells an absent field (keep) from an explicit null (clear), and refuses a
/// value of the wrong JSON type with 400 naming the field. Unknown fields (ids, owner, timestamps) are ignored.
/// </summary>
public static class PolicyBody
{
    public static Result<PolicyInput> Read(JsonObject? body)
    {
        body ??= [];
        var name = Text(body, "name");
        var effect = Text(body, "effect");
        var agentId = Text(body, "agentId");
        var principalId = Text(body, "principalId");
        var start = Text(body, "timeOfDayStart");
        var end = Text(body, "timeOfDayEnd");
        var zone = Text(body, "timeZone");
        var scopes = List(body, "scopes");
        var priority = Integer(body, "priority");
        foreach (var error in new[] { name.Error, effect.Error, agentId.Error, principalId.Error, start.Error, end.Error, zone.Error, scopes.Error, priority.Error })
        {
            if (error is not null)
            {
                return error;
            }
        }

        return new PolicyInput
        {
            Name = name.Value.Value,
            Effect = effect.Value.Value,
            Priority = priority.Value,
            AgentId = agentId.Value,
            PrincipalId = principalId.Value,
            Scopes = scopes.Value,
            TimeOfDayStart = start.Value,
            TimeOfDayEnd = end.Value,
            TimeZone = zone.Value,
        };
    }

    private static Result<Settable<string>> Text(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node))
        {
            return default(Settable<string>);
        }

        if (node is null)
        {
            return Settable<string>.To(null);
        }

        return node.GetValueKind() == JsonValueKind.String
            ? Settable<string>.To(node.GetValue<string>())
            : GxError.BadRequest($"{field} must be a string or null.");
    }

    private static Result<Settable<IReadOnlyList<string?>>> List(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node))
        {
            return default(Settable<IReadOnlyList<string?>>);
        }

        if (node is null)
        {
            return Settable<IReadOnlyList<string?>>.To(null);
        }

        if (node is not JsonArray array || array.Any(i => i is not null && i.GetValueKind() != JsonValueKind.String))
        {
            return GxError.BadRequest($"{field} must be an array of strings or null.");
        }

        return Settable<IReadOnlyList<string?>>.To([.. array.Select(i => i?.GetValue<string>())]);
    }

    private static Result<int?> Integer(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return (int?)null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<decimal>(out var number) || number != decimal.Truncate(number))
        {
            return GxError.BadRequest($"{field} must be an integer.");
        }

        return number is < PolicyRules.MinPriority or > PolicyRules.MaxPriority
            ? GxError.BadRequest($"{field} must be an integer from {PolicyRules.MinPriority} to {PolicyRules.MaxPriority}.")
            : (int?)(int)number;
    }
}
