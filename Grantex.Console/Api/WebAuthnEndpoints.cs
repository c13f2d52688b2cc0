using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Passkeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// Passkey enrolment through the API (wire format §3.5.6), so a developer can register their users' passkeys in their
/// own app: the page running <c>navigator.credentials.create</c> must be on an origin listed in
/// <c>Grantex:Passkeys:AllowedOrigins</c> under the configured relying-party id. Challenges are single use, live
/// five minutes and belong to the developer who asked for them. Kept for compatibility, but the developer controls
/// this path (it could enrol its own software key for anyone): such passkeys are recorded as
/// <c>developer_api</c>, never satisfy <c>principalAuthentication: passkey</c>, and their tokens say <c>amr: ["pop"]</c>.
/// </summary>
public static class WebAuthnEndpoints
{
    public static IEndpointRouteBuilder MapWebAuthnEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webauthn").WithTags("WebAuthn").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        group.MapPost("/register/options", RegisterPasskeyOptions).WithName(nameof(RegisterPasskeyOptions)).WithErrors(400, 401);
        group.MapPost("/register/verify", RegisterPasskeyVerify).WithName(nameof(RegisterPasskeyVerify)).WithErrors(400, 401, 409);
        group.MapGet("/credentials", ListPasskeyCredentials).WithName(nameof(ListPasskeyCredentials)).WithErrors(400, 401);
        group.MapDelete("/credentials/{id}", DeletePasskeyCredential).WithName(nameof(DeletePasskeyCredential)).WithErrors(401, 404);
        return app;
    }

    public static async Task<Results<Ok<PasskeyOptionsResponse>, ApiError>> RegisterPasskeyOptions(
        RegisterOptionsRequest? body, HttpContext context, PasskeyService passkeys, CancellationToken cancellationToken)
    {
        var result = await passkeys.BeginRegistrationAsync(context.Caller().Developer, body?.PrincipalId, PasskeyEnrolment.DeveloperApi, binding: null, context,
            cancellationToken: cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(PasskeyOptionsResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Created<CredentialResponse>, ApiError>> RegisterPasskeyVerify(
        RegisterVerifyRequest? body, HttpContext context, PasskeyService passkeys, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await passkeys.CompleteRegistrationAsync(caller.Developer.Id, body?.ChallengeId, body?.Response?.GetRawText(), body?.DeviceName,
            binding: null, caller.Actor, context, cancellationToken: cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/v1/webauthn/credentials/{result.Value.Id}", CredentialResponse.From(result.Value))
            : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<CredentialListResponse>, ApiError>> ListPasskeyCredentials(
        string? principalId, HttpContext context, PasskeyService passkeys, CancellationToken cancellationToken)
    {
        if (!Validate.Text(principalId, 256))
        {
            return ApiError.From(GxError.BadRequest("principalId is required (1 to 256 characters)."));
        }

        var list = await passkeys.ListAsync(context.Caller().Developer.Id, principalId!, cancellationToken);
        return TypedResults.Ok(new CredentialListResponse([.. list.Select(CredentialResponse.From)]));
    }

    public static async Task<Results<NoContent, ApiError>> DeletePasskeyCredential(string id, HttpContext context, PasskeyService passkeys, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await passkeys.DeleteAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiError.From(result.Error);
    }
}
