using System.Text.Json.Nodes;
using Grantex.Core.Common;
using Grantex.Core.Principals;

namespace Grantex.Console.Api;

/// <summary>
/// A SCIM response (RFC 7644 §3.1): <c>application/scim+json</c>, never cached, and errors in SCIM's own shape
/// <c>{schemas:[…Error], detail, scimType?, status}</c> (wire format §7.5) — never the <c>/v1</c> error body.
/// </summary>
public sealed class ScimResult(int status, JsonNode? body, string? location = null) : IResult
{
    public const string ContentType = "application/scim+json; charset=utf-8";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

    public int Status => status;

    public JsonNode? Body => body;

    public static ScimResult Ok(JsonNode body) => new(StatusCodes.Status200OK, body);

    public static ScimResult Created(JsonNode body, string location) => new(StatusCodes.Status201Created, body, location);

    public static ScimResult NoContent() => new(StatusCodes.Status204NoContent, null);

    /// <summary>A refusal: the status from the error's kind, <c>scimType</c> when its code is one of SCIM's.</summary>
    public static ScimResult From(GxError error) => Error(ApiError.StatusFor(error.Kind), error.Message, ScimRules.Types.Contains(error.Code) ? error.Code : null);

    public static ScimResult Error(int status, string detail, string? scimType = null)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ErrorSchema),
            ["detail"] = detail,
        };
        if (scimType is not null)
        {
            body["scimType"] = scimType;
        }

        body["status"] = status;
        return new ScimResult(status, body);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (body is not null)
        {
            response.ContentType = ContentType;
            await response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted);
        }
    }
}
