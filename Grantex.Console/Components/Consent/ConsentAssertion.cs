namespace Grantex.Console.Components.Consent;

/// <summary>A passkey ceremony's answer as the browser sent it: the ceremony (challenge) id and the credential JSON.</summary>
public sealed record ConsentAssertion(string? ChallengeId, string? Response);
