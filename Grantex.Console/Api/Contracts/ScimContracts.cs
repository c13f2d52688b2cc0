using System.Text.Json.Nodes;
using Grantex.Core.Common;
using Grantex.Core.Principals;

namespace Grantex.Console.Api.Contracts;

public sealed record ScimTokenCreateRequest(string? Label);

public sealed record ScimTokenCreatedResponse(string Id, string Label, string Token, DateTime CreatedAt);

public sealed record ScimTokenResponse(string Id, string Label, DateTime CreatedAt, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] DateTime? LastUsedAt)
{
    public static ScimTokenResponse From(ScimToken t) => new(t.Id, t.Label, t.CreatedAt, t.LastUsedAt);
}

public sealed record ScimTokenListResponse(IReadOnlyList<ScimTokenResponse> Tokens);

/// <summary>SCIM resources as JSON (RFC 7643): attribute names exactly as SCIM spells them (<c>Resources</c>, <c>userName</c>…).</summary>
public static class ScimResources
{
    public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string ListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    public static JsonObject User(ScimUser u, string baseUrl)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray(UserSchema),
            ["id"] = u.Id,
        };
        if (u.ExternalId is not null)
        {
            user["externalId"] = u.ExternalId;
        }

        user["userName"] = u.UserName;
        if (u.GivenName is not null || u.FamilyName is not null)
        {
            var name = new JsonObject();
            if (u.GivenName is not null)
            {
                name["givenName"] = u.GivenName;
            }

            if (u.FamilyName is not null)
            {
                name["familyName"] = u.FamilyName;
            }

            name["formatted"] = string.Join(' ', new[] { u.GivenName, u.FamilyName }.Where(p => p is not null));
            user["name"] = name;
        }

        if (u.DisplayName is not null)
        {
            user["displayName"] = u.DisplayName;
        }

        user["active"] = u.Active;
        var emails = new JsonArray();
        foreach (var e in u.Emails)
        {
            var email = new JsonObject { ["value"] = e.Value };
            if (e.Type is not null)
            {
                email["type"] = e.Type;
            }

            if (e.Primary is not null)
            {
                email["primary"] = e.Primary;
            }

            emails.Add(email);
        }

        user["emails"] = emails;
        user["meta"] = new JsonObject
        {
            ["resourceType"] = "User",
            ["created"] = TimeFormat.Iso(u.CreatedAt),
            ["lastModified"] = TimeFormat.Iso(u.UpdatedAt),
            ["location"] = $"{baseUrl}/scim/v2/Users/{u.Id}",
            ["version"] = $"W/\"{u.Version}\"",
        };
        return user;
    }

    public static JsonObject List(ScimPage page, string baseUrl)
    {
        var resources = new JsonArray();
        foreach (var u in page.Items)
        {
            resources.Add(User(u, baseUrl));
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ListSchema),
            ["totalResults"] = page.TotalResults,
            ["startIndex"] = page.StartIndex,
            ["itemsPerPage"] = page.Items.Count,
            ["Resources"] = resources,
        };
    }

    /// <summary>What this server supports (RFC 7643 §5): PATCH and the <c>eq</c> filters, no bulk, sort, ETags or passwords.</summary>
    public static JsonObject ServiceProviderConfig(string baseUrl) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
        ["documentationUri"] = baseUrl + "/docs",
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = ScimRules.MaxCount },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["name"] = "OAuth Bearer Token",
            ["description"] = "A SCIM token created with POST /v1/scim/tokens, sent as Authorization: Bearer <token>.",
            ["type"] = "oauthbearertoken",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = baseUrl + "/scim/v2/ServiceProviderConfig" },
    };

    public static JsonObject ResourceTypes(string baseUrl)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
            ["id"] = "User",
            ["name"] = "User",
            ["endpoint"] = "/Users",
            ["description"] = "A person whose userName is the principalId of their grants.",
            ["schema"] = UserSchema,
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/scim/v2/ResourceTypes/User" },
        };
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ListSchema),
            ["totalResults"] = 1,
            ["startIndex"] = 1,
            ["itemsPerPage"] = 1,
            ["Resources"] = new JsonArray(user),
        };
    }

    public static JsonObject Schemas(string baseUrl)
    {
        static JsonObject Attr(string name, string type, bool required = false, bool caseExact = false, string mutability = "readWrite", string uniqueness = "none", bool multi = false, JsonArray? sub = null)
        {
            var a = new JsonObject
            {
                ["name"] = name, ["type"] = type, ["multiValued"] = multi, ["required"] = required, ["caseExact"] = caseExact,
                ["mutability"] = mutability, ["returned"] = "default", ["uniqueness"] = uniqueness,
            };
            if (sub is not null)
            {
                a["subAttributes"] = sub;
            }

            return a;
        }

        var schema = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Schema"),
            ["id"] = UserSchema,
            ["name"] = "User",
            ["description"] = "User account (the attributes this server stores).",
            ["attributes"] = new JsonArray(
                Attr("userName", "string", required: true, uniqueness: "server"),
                Attr("externalId", "string", caseExact: true),
                Attr("displayName", "string"),
                Attr("name", "complex", sub: new JsonArray(Attr("givenName", "string"), Attr("familyName", "string"))),
                Attr("active", "boolean"),
                Attr("emails", "complex", multi: true, sub: new JsonArray(Attr("value", "string"), Attr("type", "string"), Attr("primary", "boolean")))),
            ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = baseUrl + "/scim/v2/Schemas/" + UserSchema },
        };
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ListSchema),
            ["totalResults"] = 1,
            ["startIndex"] = 1,
            ["itemsPerPage"] = 1,
            ["Resources"] = new JsonArray(schema),
        };
    }
}
