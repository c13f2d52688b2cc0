using System.Text.Json;
using System.Text.Json.Serialization;
using Grantex.Core.Passkeys;

namespace Grantex.Console.Api.Contracts;

public sealed record RegisterOptionsRequest(string? PrincipalId);

/// <summary><c>{challengeId, publicKey}</c> (wire format §3.5.6); <c>publicKey</c> goes to <c>PublicKeyCredential.parse*OptionsFromJSON</c>.</summary>
public sealed record PasskeyOptionsResponse(string ChallengeId, JsonElement PublicKey)
{
    public static PasskeyOptionsResponse From(PasskeyChallenge challenge) => new(challenge.CeremonyId, ParseOptions(challenge));

    public static JsonElement ParseOptions(PasskeyChallenge challenge)
    {
        using var document = JsonDocument.Parse(challenge.OptionsJson);
        return document.RootElement.Clone();
    }
}

/// <summary>What the consent page's script runs next: <c>register</c> (first use, then assert) or <c>assert</c>.</summary>
public sealed record ConsentPasskeyResponse(string Mode, string ChallengeId, JsonElement PublicKey)
{
    public static ConsentPasskeyResponse From(PasskeyChallenge challenge) =>
        new(challenge.Kind == PasskeyCeremonyKind.Registration ? "register" : "assert", challenge.CeremonyId, PasskeyOptionsResponse.ParseOptions(challenge));
}

public sealed record RegisterVerifyRequest(string? ChallengeId, JsonElement? Response, string? DeviceName);

/// <summary>A WebAuthn result posted by the consent page: the challenge it answers and the credential as <c>JSON.stringify</c> made it.</summary>
public sealed record PasskeyResultRequest(string? ChallengeId, JsonElement? Response);

public sealed record CredentialResponse(
    string Id,
    string PrincipalId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DeviceName,
    bool BackedUp,
    IReadOnlyList<string> Transports,
    DateTime CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTime? LastUsedAt,
    string CredentialId,
    bool UserVerified,
    string Enrolment)
{
    /// <summary><c>enrolment</c>: how the passkey was enrolled (<c>developer_api</c>, <c>consent_page</c>, <c>sso</c>, <c>enrolment_link</c>); only the last two satisfy <c>principalAuthentication: passkey</c>.</summary>
    public static CredentialResponse From(PrincipalPasskey p) =>
        new(p.Id, p.PrincipalId, p.DeviceName, p.IsBackedUp, p.Transports, p.CreatedAt, p.LastUsedAt, p.CredentialId, p.IsUserVerified, PasskeyEnrolments.ToWire(p.EnrolledVia));
}

public sealed record CredentialListResponse(IReadOnlyList<CredentialResponse> Credentials);
