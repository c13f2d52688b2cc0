using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary><c>/v1/me</c>, <c>/v1/keys/rotate</c> and (when enabled) <c>/v1/signup</c> (wire format §2.3).</summary>
public static class DeveloperEndpoints
{
    public static IEndpointRouteBuilder MapDeveloperEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Developer").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        v1.MapGet("/me", GetMe).WithName(nameof(GetMe)).WithErrors(401);
        v1.MapPatch("/me", UpdateMe).WithName(nameof(UpdateMe)).WithErrors(400, 401);
        v1.MapPost("/keys/rotate", RotateKey).WithName(nameof(RotateKey)).WithErrors(401, 409);
        app.MapPost("/v1/signup", Signup).WithName(nameof(Signup)).WithTags("Developer").AllowAnonymous().WithErrors(400, 403, 409);
        return app;
    }

    public static async Task<Results<Ok<MeResponse>, ApiError>> GetMe(HttpContext context, DeveloperService developers, CancellationToken cancellationToken)
    {
        var developer = await developers.GetAsync(context.Caller().Developer.Id, cancellationToken);
        return developer is null ? ApiError.From(GxError.NotFound("Developer not found.")) : TypedResults.Ok(MeResponse.From(developer));
    }

    public static async Task<Results<Ok<UpdateMeResponse>, ApiError>> UpdateMe(
        UpdateMeRequest? body, HttpContext context, DeveloperService developers, CancellationToken cancellationToken)
    {
        PresenceRequirement? requirement = null;
        if (body?.PresenceRequirement is { } text && (requirement = PresenceRequirementNames.FromWire(text)) is null)
        {
            return ApiError.From(GxError.BadRequest("presenceRequirement must be one of never, always, high_risk.", "presenceRequirement"));
        }

        IdentityLevel? level = null;
        if (body?.PrincipalAuthentication is { } levelText && (level = IdentityLevels.FromWire(levelText)) is null)
        {
            return ApiError.From(GxError.BadRequest("principalAuthentication must be one of none, sso, passkey.", "principalAuthentication"));
        }

        var result = await developers.UpdateSettingsAsync(context.Caller(),
            new DeveloperSettingsUpdate(body?.FidoRequired, body?.FidoRpName, requirement, level), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new UpdateMeResponse(true, result.Value.PresenceRequirement != PresenceRequirement.Never,
                PresenceRequirementNames.ToWire(result.Value.PresenceRequirement), IdentityLevels.ToWire(result.Value.PrincipalAuthentication)))
            : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<RotateKeyResponse>, ApiError>> RotateKey(HttpContext context, DeveloperService developers, CancellationToken cancellationToken)
    {
        var result = await developers.RotateKeyAsync(context.Caller(), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return result.IsSuccess ? TypedResults.Ok(new RotateKeyResponse(result.Value.ApiKey, result.Value.RotatedAt)) : ApiError.From(result.Error);
    }

    /// <summary>Self-service signup is off unless <c>Grantex:AllowSignup</c> is true: on a self-hosted server, developers are created by an operator.</summary>
    public static async Task<Results<Created<SignupResponse>, ApiError>> Signup(
        SignupRequest? body, IConfiguration configuration, DeveloperService developers, CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Grantex:AllowSignup", false))
        {
            return ApiError.From(GxError.Forbidden(ErrorCodes.Forbidden, "Self-service signup is disabled on this server. An operator creates developers with: Grantex.Console developer create --name NAME."));
        }

        var mode = body?.Mode switch
        {
            null or "live" => DeveloperMode.Live,
            "sandbox" => DeveloperMode.Sandbox,
            _ => (DeveloperMode?)null,
        };
        if (mode is null)
        {
            return ApiError.From(GxError.BadRequest("mode must be live or sandbox.", "mode"));
        }

        var result = await developers.CreateAsync(body?.Name, mode.Value, body?.Email, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        var d = result.Value.Developer;
        return TypedResults.Created("/v1/me", new SignupResponse(d.Id, result.Value.ApiKey, d.Name, d.Email, d.IsSandbox ? "sandbox" : "live", d.CreatedAt));
    }
}
